// shop.js — products by zone (GET /products?zone=), the cart and its checkout (POST /orders:
// items, payment with points and voucher, region, offline payment), and the member's orders.
import { ElMessage } from '/assets/vendor/element-plus.mjs';
import { formatMinor } from '/assets/js/money.js';
import {
  addToCart, api, cart, cartCount, errorText, go, label, loadMe, qs, route, saveCart, session, t,
  useForm,
} from '../store.js';

const ZONES = ['', 'normal', 'entry', 'repurchase', 'mall'];
const HUES = [12, 28, 200, 160, 262, 340, 48, 190];

function hue(id) {
  let h = 0;
  for (const c of String(id)) {
    h = (h * 31 + c.charCodeAt(0)) >>> 0;
  }
  return HUES[h % HUES.length];
}

// The product's picture: its first letter on a colour of its own (the API has no images).
const ProductArt = {
  props: { product: Object, small: Boolean },
  template: `<div class="m-art" :class="{ small }" :style="style">{{ letter }}</div>`,
  computed: {
    letter() {
      return Array.from(this.product.name || this.product.id || '?')[0].toUpperCase();
    },
    style() {
      const h = hue(this.product.id);
      return { background: `linear-gradient(135deg, hsl(${h} 70% 62%), hsl(${(h + 40) % 360} 70% 48%))` };
    },
  },
};

export const ShopPage = {
  components: { ProductArt },
  template: `
  <div class="m-page">
    <div class="m-chips m-sticky" data-test="zones">
      <button v-for="z in zones" :key="z" type="button" class="m-chip" :class="{ on: zone === z }" :data-zone="z || 'all'" @click="pick(z)">
        {{ z ? label('zone.', z) : t('shop.all') }}
      </button>
    </div>
    <p v-if="zone" class="muted m-small m-zone-hint">{{ t('zone_hint.' + zone) }}</p>
    <el-skeleton v-if="loading && !products.length" :rows="4" animated />
    <div v-else-if="error" class="field-error">{{ error }}</div>
    <el-empty v-else-if="!products.length" :description="t('shop.empty')" :image-size="80" />
    <div class="m-products">
      <div v-for="p in products" :key="p.id" class="m-product" data-test="product" :data-product="p.id">
        <product-art :product="p" />
        <div class="m-product-body">
          <div class="m-product-name">{{ p.name }}</div>
          <div class="m-product-meta">
            <el-tag size="small" effect="plain">{{ label('zone.', p.zone) }}</el-tag>
            <span v-if="p.stock !== undefined" class="muted m-small">{{ p.stock > 0 ? t('shop.stock', { n: p.stock }) : t('shop.sold_out') }}</span>
          </div>
          <div class="m-product-price">
            <template v-if="p.zone === 'mall'">
              <span class="m-price-pts amount">{{ fm(p.points_price || 0) }} {{ t('shop.pts') }}</span>
              <span v-if="p.price > 0" class="amount"> + ¥{{ fm(p.price) }}</span>
            </template>
            <span v-else class="amount">¥{{ fm(p.price) }}</span>
          </div>
          <div class="m-product-actions">
            <el-button size="small" :disabled="p.stock === 0" @click="add(p)" data-test="add">{{ t('shop.add') }}</el-button>
            <el-button size="small" type="primary" :disabled="p.stock === 0" @click="buy(p)" data-test="buy">{{ t('shop.buy') }}</el-button>
          </div>
        </div>
      </div>
    </div>
    <div class="m-more" v-if="cursor">
      <el-button :loading="loading" @click="load">{{ t('common.more') }}</el-button>
    </div>
    <a href="#/checkout" class="m-cart-fab" v-if="count" data-test="cart">
      <m-icon name="cart" />
      <span class="m-badge">{{ count }}</span>
    </a>
  </div>`,
  setup() {
    return { t, label, zones: ZONES, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { products: [], cursor: null, loading: false, error: '' };
  },
  computed: {
    zone() {
      return ZONES.includes(route.query.zone) ? route.query.zone : '';
    },
    count() {
      return cartCount();
    },
  },
  watch: {
    zone() {
      this.reload();
    },
  },
  mounted() {
    this.reload();
  },
  methods: {
    pick(z) {
      go('/shop' + qs({ zone: z }));
    },
    async reload() {
      this.products = [];
      this.cursor = null;
      await this.load();
    },
    async load() {
      this.loading = true;
      this.error = '';
      try {
        const page = await api.get('/products' + qs({ zone: this.zone, limit: 50, cursor: this.cursor }));
        this.products.push(...page.items);
        this.cursor = page.next_cursor;
      } catch (e) {
        this.error = errorText(e);
      } finally {
        this.loading = false;
      }
    },
    add(p) {
      addToCart(p, 1);
      ElMessage.success(t('shop.added', { name: p.name }));
    },
    buy(p) {
      addToCart(p, 1);
      go('/checkout');
    },
  },
};

export const CheckoutPage = {
  components: { ProductArt },
  template: `
  <div class="m-page">
    <div class="m-cols">
      <section class="m-card" data-test="cart-lines">
        <div class="m-card-head">
          <h3>{{ t('checkout.cart') }}</h3>
          <a href="#/shop" class="m-link">{{ t('checkout.continue') }}</a>
        </div>
        <el-empty v-if="!lines.length" :description="t('checkout.empty')" :image-size="80">
          <el-button type="primary" @click="go('/shop')">{{ t('nav.shop') }}</el-button>
        </el-empty>
        <div v-for="(l, i) in lines" :key="l.product.id" class="m-line" data-test="line" :data-product="l.product.id">
          <product-art :product="l.product" small />
          <div class="m-line-body">
            <div class="m-product-name">{{ l.product.name }}</div>
            <div class="muted m-small">
              <template v-if="l.product.zone === 'mall'">{{ fm(l.product.points_price || 0) }} {{ t('shop.pts') }}<template v-if="l.product.price > 0"> + ¥{{ fm(l.product.price) }}</template></template>
              <template v-else>¥{{ fm(l.product.price) }}</template>
              · {{ label('zone.', l.product.zone) }}
            </div>
            <div class="m-line-ctl">
              <el-input-number v-model="l.qty" :min="1" :max="l.product.stock !== undefined ? Math.max(1, l.product.stock) : 999" size="small" @change="save" />
              <el-button size="small" text type="danger" @click="remove(i)">{{ t('checkout.remove') }}</el-button>
            </div>
            <div v-if="lineErrors[i]" class="field-error" data-test="line-error">{{ lineErrors[i] }}</div>
          </div>
        </div>
      </section>

      <section class="m-card" v-if="lines.length" data-test="checkout">
        <div class="m-card-head"><h3>{{ t('checkout.title') }}</h3></div>
        <div class="m-row"><span class="muted">{{ t('checkout.goods') }}</span><b class="amount" data-test="total">¥{{ fm(totals.price) }}</b></div>
        <div class="m-row" v-if="totals.hasMall"><span class="muted">{{ t('checkout.mall_points') }}</span><b class="amount">{{ fm(totals.mall) }} {{ t('shop.pts') }}</b></div>
        <el-form label-position="top" @submit.prevent="submit" data-test="checkout-form" class="m-gap-top">
          <el-form-item :label="t('checkout.pay_points') + ' (' + t('wallet.available', { asset: t('asset.points') }) + ' ' + fm(me ? me.balances.points : 0) + ')'" :error="f.errors.points">
            <el-input v-model="points" name="pay_points" inputmode="decimal" clearable placeholder="0.00" />
          </el-form-item>
          <el-form-item :label="t('checkout.pay_voucher') + ' (' + t('wallet.available', { asset: t('asset.voucher') }) + ' ' + fm(me ? me.balances.voucher : 0) + ')'" :error="f.errors.voucher">
            <el-input v-model="voucher" name="pay_voucher" inputmode="decimal" clearable placeholder="0.00" />
          </el-form-item>
          <p class="muted m-small">{{ t('checkout.pay_hint') }}</p>
          <el-form-item :label="t('checkout.region')" :error="f.errors.region">
            <el-input v-model="region" name="region" inputmode="numeric" maxlength="6" clearable :placeholder="t('checkout.region_ph')" />
          </el-form-item>
          <el-form-item :error="f.errors.offline">
            <el-checkbox v-model="offline" name="offline" data-test="offline">{{ t('checkout.offline') }}</el-checkbox>
          </el-form-item>
          <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
          <el-button type="primary" native-type="submit" size="large" :loading="f.state.busy" class="m-block" data-test="place">{{ t('checkout.place') }}</el-button>
        </el-form>
      </section>
    </div>
  </div>`,
  setup() {
    const f = useForm(['points', 'voucher', 'region', 'offline'],
                      { 'pay.points': 'points', 'pay.voucher': 'voucher', pay: 'points' });
    return { f, t, go, label, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { points: '', voucher: '', region: '', offline: false, lineErrors: {} };
  },
  computed: {
    me() {
      return session.me;
    },
    lines() {
      return cart.lines;
    },
    totals() {
      let price = 0n;
      let mall = 0n;
      for (const l of cart.lines) {
        const q = BigInt(l.qty);
        price += BigInt(l.product.price) * q;
        if (l.product.zone === 'mall') {
          mall += BigInt(l.product.points_price || 0) * q;
        }
      }
      return { price, mall, hasMall: mall > 0n };
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
  methods: {
    save() {
      saveCart();
    },
    remove(i) {
      cart.lines.splice(i, 1);
      saveCart();
    },
    async submit() {
      this.f.clear();
      this.lineErrors = {};
      const body = { items: cart.lines.map((l) => ({ product: l.product.id, qty: l.qty })) };
      const pay = {};
      let ok = true;
      for (const [field, text] of [['points', this.points], ['voucher', this.voucher]]) {
        if (String(text || '').trim()) {
          const v = this.f.amount(field, text, { allowZero: true });
          if (v === null) {
            ok = false;
          } else if (v > 0) {
            pay[field] = v;
          }
        }
      }
      const region = this.region.trim();
      if (region && !/^\d{6}$/.test(region)) {
        this.f.errors.region = t('checkout.region_format');
        ok = false;
      }
      if (!ok) {
        return;
      }
      if (Object.keys(pay).length) {
        body.pay = pay;
      }
      if (region) {
        body.region = region;
      }
      if (this.offline) {
        body.offline = true;
      }
      const res = await this.f.send('POST', '/orders', body);
      if (!res) {
        const e = this.f.state.last;
        const m = e && e.field && /^items\[(\d+)\]/.exec(e.field);
        if (m) {
          this.lineErrors = { [m[1]]: this.f.state.general };
          this.f.state.general = '';
        }
        return;
      }
      cart.lines.splice(0, cart.lines.length);
      saveCart();
      loadMe().catch(() => {});
      go('/orders/' + encodeURIComponent(res.id) + '?placed=1');
    },
  },
};

const STATUS_TYPE = { pending: 'warning', paid: 'primary', completed: 'success', refunded: 'info' };

const OrderFigures = {
  props: { o: Object },
  template: `
  <div class="m-order-figures">
    <div><span class="muted m-small">{{ t('order.amount') }}</span><b class="amount">¥{{ fm(o.amount) }}</b></div>
    <div><span class="muted m-small">{{ t('order.cash') }}</span><b class="amount">¥{{ fm(o.cash) }}</b></div>
    <div v-if="o.points_paid"><span class="muted m-small">{{ t('order.points_paid') }}</span><b class="amount">{{ fm(o.points_paid) }}</b></div>
    <div v-if="o.voucher_paid"><span class="muted m-small">{{ t('order.voucher_paid') }}</span><b class="amount">{{ fm(o.voucher_paid) }}</b></div>
    <div v-if="o.mall_points"><span class="muted m-small">{{ t('order.mall_points') }}</span><b class="amount">{{ fm(o.mall_points) }}</b></div>
  </div>`,
  setup() {
    return { t, fm: (v) => formatMinor(v, true) };
  },
};

export const OrdersPage = {
  components: { OrderFigures },
  template: `
  <div class="m-page">
    <section class="m-card" data-test="orders">
      <div class="m-card-head">
        <h3>{{ t('nav.orders') }}</h3>
        <a href="#/shop" class="m-link">{{ t('nav.shop') }}</a>
      </div>
      <el-skeleton v-if="loading && !items.length" :rows="4" animated />
      <div v-else-if="error" class="field-error">{{ error }}</div>
      <el-empty v-else-if="!items.length" :description="t('orders.empty')" :image-size="80">
        <el-button type="primary" @click="go('/shop')">{{ t('nav.shop') }}</el-button>
      </el-empty>
      <a v-for="o in items" :key="o.id" class="m-order" :href="'#/orders/' + encodeURIComponent(o.id)" data-test="order" :data-order="o.id">
        <div class="m-order-head">
          <span class="m-mono m-small">{{ o.id }}</span>
          <el-tag :type="statusType[o.status]" size="small">{{ label('ostatus.', o.status) }}</el-tag>
        </div>
        <order-figures :o="o" />
      </a>
      <div class="m-more" v-if="cursor">
        <el-button :loading="loading" @click.prevent="load">{{ t('common.more') }}</el-button>
      </div>
    </section>
  </div>`,
  setup() {
    return { t, go, label, statusType: STATUS_TYPE };
  },
  data() {
    return { items: [], cursor: null, loading: false, error: '' };
  },
  mounted() {
    this.load();
  },
  methods: {
    async load() {
      this.loading = true;
      try {
        const page = await api.get('/orders' + qs({ limit: 50, cursor: this.cursor }));
        this.items.push(...page.items);
        this.cursor = page.next_cursor;
      } catch (e) {
        this.error = errorText(e);
      } finally {
        this.loading = false;
      }
    },
  },
};

const STEPS = ['placed', 'pending', 'paid', 'completed'];

export const OrderPage = {
  components: { OrderFigures },
  props: { id: String },
  template: `
  <div class="m-page m-narrow">
    <el-result v-if="placed && o" icon="success" :title="t('order.placed')" :sub-title="o.status === 'pending' ? t('order.pending_hint') : t('order.paid_hint')" data-test="placed" />
    <section class="m-card" data-test="order-detail">
      <div class="m-card-head">
        <h3>{{ t('order.title') }}</h3>
        <a href="#/orders" class="m-link">{{ t('nav.orders') }}</a>
      </div>
      <el-skeleton v-if="!o && !error" :rows="4" animated />
      <div v-else-if="error" class="field-error">{{ error }}</div>
      <template v-else>
        <div class="m-row"><span class="muted">{{ t('order.id') }}</span><span class="m-mono" data-test="order-id">{{ o.id }}</span></div>
        <div class="m-row"><span class="muted">{{ t('order.status') }}</span><el-tag :type="statusType[o.status]" data-test="order-status" :data-status="o.status">{{ label('ostatus.', o.status) }}</el-tag></div>
        <div class="m-row"><span class="muted">{{ t('checkout.region') }}</span><span>{{ o.region || '—' }}</span></div>
        <el-steps v-if="o.status !== 'refunded'" :active="step" finish-status="success" align-center class="m-steps">
          <el-step :title="t('order.step_placed')" />
          <el-step :title="label('ostatus.', 'paid')" />
          <el-step :title="label('ostatus.', 'completed')" />
        </el-steps>
        <el-alert v-else type="info" :title="t('order.refunded_hint')" :closable="false" show-icon />
        <order-figures :o="o" />
        <p class="muted m-small">{{ t('order.rewards_hint') }}</p>
      </template>
    </section>
  </div>`,
  setup() {
    return { t, label, statusType: STATUS_TYPE };
  },
  data() {
    return { o: null, error: '' };
  },
  computed: {
    placed() {
      return !!route.query.placed;
    },
    step() {
      return this.o ? Math.max(1, STEPS.indexOf(this.o.status)) : 0;
    },
  },
  async mounted() {
    try {
      this.o = await api.get('/orders/' + encodeURIComponent(this.id));
    } catch (e) {
      this.error = errorText(e);
    }
  },
};
