// team.js — the member's team (下级市场): members and performance by generation, and the
// members of any one generation (#/team?generation=N), page by page.
import { formatMinor } from '/assets/js/money.js';
import { api, errorText, go, maskPhone, qs, route, t } from '../store.js';

export const TeamPage = {
  template: `
  <div class="m-page">
    <section class="m-card m-summary" data-test="team-summary">
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('team.members') }}</div>
        <div class="m-big" data-test="team-members">{{ summary ? summary.members : '—' }}</div>
      </div>
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('team.performance') }}</div>
        <div class="m-big amount" data-test="team-performance">{{ summary ? fm(summary.performance) : '—' }}</div>
      </div>
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('team.cash') }}</div>
        <div class="m-big amount">{{ summary ? fm(summary.performance_cash) : '—' }}</div>
      </div>
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('team.points') }}</div>
        <div class="m-big amount">{{ summary ? fm(summary.performance_points) : '—' }}</div>
      </div>
    </section>
    <div v-if="error" class="field-error">{{ error }}</div>

    <div class="m-cols">
      <section class="m-card" data-test="generations">
        <div class="m-card-head">
          <h3>{{ t('team.by_generation') }}</h3>
          <a href="#/invite" class="m-link" data-test="to-invite">{{ t('nav.invite') }}</a>
        </div>
        <el-empty v-if="summary && !summary.generations.length" :description="t('team.empty')" :image-size="70">
          <el-button type="primary" @click="go('/invite')">{{ t('nav.invite') }}</el-button>
        </el-empty>
        <div v-else class="m-table-wrap">
          <table class="m-table m-clickable">
            <thead><tr>
              <th>{{ t('team.generation') }}</th><th class="r">{{ t('team.members') }}</th>
              <th class="r">{{ t('team.performance') }}</th><th class="r m-hide-xs">{{ t('team.cash') }}</th><th class="r m-hide-xs">{{ t('team.points') }}</th>
            </tr></thead>
            <tbody>
              <tr v-for="g in (summary ? summary.generations : [])" :key="g.generation" :class="{ on: g.generation === generation }" @click="pick(g.generation)" :data-generation="g.generation">
                <td>{{ t('team.gen_n', { n: g.generation }) }}</td><td class="r">{{ g.members }}</td>
                <td class="r amount">{{ fm(g.performance) }}</td><td class="r amount m-hide-xs">{{ fm(g.cash) }}</td><td class="r amount m-hide-xs">{{ fm(g.points) }}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <section class="m-card" data-test="generation-members">
        <div class="m-card-head">
          <h3>{{ t('team.gen_n', { n: generation }) }}</h3>
          <div class="m-gen-pick">
            <el-button size="small" :disabled="generation <= 1" @click="pick(generation - 1)">‹</el-button>
            <el-input-number v-model="genInput" :min="1" :max="100000" size="small" controls-position="right" @change="pick(genInput)" />
            <el-button size="small" @click="pick(generation + 1)">›</el-button>
          </div>
        </div>
        <el-skeleton v-if="loading && !members.length" :rows="3" animated />
        <el-empty v-else-if="!members.length" :description="t('team.gen_empty')" :image-size="60" />
        <div v-for="m in members" :key="m.member" class="m-row m-member-row" data-test="team-member">
          <div>
            <div>{{ maskPhone(m.phone) }}</div>
            <div class="muted m-small m-mono">{{ m.member }}</div>
          </div>
          <div class="r">
            <div class="muted m-small">{{ t('team.member_perf') }}</div>
            <div class="amount">{{ fm(m.performance) }}</div>
            <div class="muted m-small" v-if="m.performance_points">{{ t('team.points') }} {{ fm(m.performance_points) }}</div>
          </div>
        </div>
        <div class="m-more" v-if="cursor">
          <el-button :loading="loading" @click="load">{{ t('common.more') }}</el-button>
        </div>
      </section>
    </div>
  </div>`,
  setup() {
    return { t, go, maskPhone, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { summary: null, members: [], cursor: null, loading: false, error: '', genInput: 1 };
  },
  computed: {
    generation() {
      const n = parseInt(route.query.generation || '1', 10);
      return Number.isInteger(n) && n >= 1 ? n : 1;
    },
  },
  watch: {
    generation() {
      this.reload();
    },
  },
  async mounted() {
    this.reload();
    try {
      this.summary = await api.get('/me/team/summary');
    } catch (e) {
      this.error = errorText(e);
    }
  },
  methods: {
    pick(n) {
      const g = Math.max(1, parseInt(n, 10) || 1);
      go('/team' + qs({ generation: g }));
    },
    async reload() {
      this.genInput = this.generation;
      this.members = [];
      this.cursor = null;
      await this.load();
    },
    async load() {
      this.loading = true;
      try {
        const page = await api.get('/me/team' + qs({ generation: this.generation, limit: 50, cursor: this.cursor }));
        this.members.push(...page.items);
        this.cursor = page.next_cursor;
      } catch (e) {
        this.error = errorText(e);
      } finally {
        this.loading = false;
      }
    },
  },
};
