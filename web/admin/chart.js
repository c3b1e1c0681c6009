// chart.js — an ECharts chart as a component: `option` (a function of nothing, so that it is
// recomputed when the language or the data change) drawn into a box that follows its width (a
// ResizeObserver resizes the chart; the chart is disposed with the component).
import { h, onBeforeUnmount, onMounted, ref, watch } from '/assets/vendor/vue.esm-browser.prod.js';
import * as echarts from '/assets/vendor/echarts.mjs';

export const EChart = {
  name: 'EChart',
  props: {
    option: { type: Object, required: true },
    height: { type: Number, default: 280 },
  },
  setup(props) {
    const el = ref(null);
    let chart = null;
    let ro = null;
    let frame = 0;
    function draw() {
      if (chart) {
        chart.setOption(props.option, { notMerge: true });
      }
    }
    function resize() {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (chart && el.value && el.value.clientWidth > 0) {
          chart.resize();
        }
      });
    }
    onMounted(() => {
      // a box of no width (hidden) has no chart yet: drawn when it gets one
      const start = () => {
        if (!chart && el.value && el.value.clientWidth > 0) {
          chart = echarts.init(el.value, null, { renderer: 'canvas' });
          draw();
        }
      };
      start();
      ro = new ResizeObserver(() => {
        start();
        resize();
      });
      ro.observe(el.value);
    });
    watch(() => props.option, draw, { deep: false });
    onBeforeUnmount(() => {
      cancelAnimationFrame(frame);
      if (ro) {
        ro.disconnect();
      }
      if (chart) {
        chart.dispose();
        chart = null;
      }
    });
    return () => h('div', { ref: el, class: 'adm-chart', style: { height: props.height + 'px' } });
  },
};
