// lots.js — the member's release lots (待释放积分 by order) with their daily release, the daily
// releases of the last 30 days, and the ledger of every balance (release legs included, each
// with the balance after it).
import { formatMinor } from '/assets/js/money.js';
import {
  api, ASSETS, errorText, formatTime, go, label, qs, route, session, loadMe, signedMinor, t, today,
} from '../store.js';

// released share of a lot in tenths of a percent, for the progress bar (BigInt: no float on
// amounts)
function releasedPct(lot) {
  const total = BigInt(lot.total);
  if (total === 0n) {
    return 100;
  }
  const done = total - BigInt(lot.remaining);
  return Number((done * 1000n) / total) / 10;
}

function daysLeft(lot) {
  const rem = BigInt(lot.remaining);
  const daily = BigInt(lot.daily);
  if (rem === 0n || daily === 0n) {
    return 0;
  }
  return Number((rem + daily - 1n) / daily);
}

export const LotsPage = {
  template: `
  <div class="m-page">
    <section class="m-card m-summary" data-test="lots-summary">
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('asset.locked') }}</div>
        <div class="m-big amount">{{ me ? fm(me.balances.locked) : '—' }}</div>
      </div>
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('lots.daily_total') }}</div>
        <div class="m-big amount" data-test="daily-total">{{ fm(dailyTotal) }}</div>
      </div>
      <div class="m-summary-item">
        <div class="muted m-small">{{ t('lots.active') }}</div>
        <div class="m-big">{{ activeCount }} / {{ lots.length }}</div>
      </div>
    </section>

    <div class="m-cols">
      <section class="m-card" data-test="lots">
        <div class="m-card-head">
          <h3>{{ t('lots.title') }}</h3>
          <a href="#/ledger?asset=locked" class="m-link">{{ t('lots.ledger') }}</a>
        </div>
        <el-skeleton v-if="loading" :rows="3" animated />
        <div v-else-if="error" class="field-error">{{ error }}</div>
        <el-empty v-else-if="!lots.length" :description="t('lots.empty')" :image-size="80">
          <el-button type="primary" @click="go('/shop?zone=entry')">{{ t('lots.to_entry') }}</el-button>
        </el-empty>
        <div v-for="l in lots" :key="l.order" class="m-lot" data-test="lot">
          <div class="m-lot-head">
            <span class="m-mono">{{ t('lots.order') }} {{ l.order }}</span>
            <el-tag :type="l.remaining > 0 ? 'warning' : 'success'" size="small" effect="light">
              {{ l.remaining > 0 ? t('lots.releasing') : t('lots.finished') }}
            </el-tag>
          </div>
          <el-progress :percentage="pct(l)" :stroke-width="8" :show-text="false" />
          <div class="m-lot-grid">
            <div><div class="muted m-small">{{ t('lots.amount') }}</div><div class="amount">{{ fm(l.amount) }}</div></div>
            <div><div class="muted m-small">{{ t('lots.total') }}</div><div class="amount">{{ fm(l.total) }}</div></div>
            <div><div class="muted m-small">{{ t('lots.remaining') }}</div><div class="amount">{{ fm(l.remaining) }}</div></div>
            <div><div class="muted m-small">{{ t('lots.daily') }}</div><div class="amount m-pos" data-test="lot-daily">{{ fm(l.daily) }}</div></div>
          </div>
          <div class="muted m-small" v-if="l.remaining > 0">{{ t('lots.days_left', { n: days(l) }) }}</div>
        </div>
      </section>

      <section class="m-card" data-test="releases">
        <div class="m-card-head">
          <h3>{{ t('lots.releases') }}</h3>
          <span class="muted m-small">{{ t('lots.recent', { n: 30 }) }}</span>
        </div>
        <el-empty v-if="!releases.length" :description="t('lots.no_releases')" :image-size="60" />
        <div v-else class="m-table-wrap">
          <table class="m-table">
            <thead><tr>
              <th>{{ t('lots.day') }}</th><th class="r">{{ t('release.static') }}</th><th class="r">{{ t('release.share') }}</th>
              <th class="r">{{ t('release.team') }}</th><th class="r">{{ t('release.peer') }}</th><th class="r">{{ t('lots.sum') }}</th>
            </tr></thead>
            <tbody>
              <tr v-for="r in releases" :key="r.day">
                <td>{{ r.day }}</td><td class="r amount">{{ fm(r.static) }}</td><td class="r amount">{{ fm(r.share) }}</td>
                <td class="r amount">{{ fm(r.team) }}</td><td class="r amount">{{ fm(r.peer) }}</td><td class="r amount m-pos">{{ fm(sum(r)) }}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
    </div>
  </div>`,
  setup() {
    return { t, go, fm: (v) => formatMinor(v, true), pct: releasedPct, days: daysLeft };
  },
  data() {
    return { lots: [], releases: [], loading: true, error: '' };
  },
  computed: {
    me() {
      return session.me;
    },
    dailyTotal() {
      return this.lots.reduce((s, l) => s + (BigInt(l.remaining) > 0n ? BigInt(l.daily) : 0n), 0n);
    },
    activeCount() {
      return this.lots.filter((l) => l.remaining > 0).length;
    },
  },
  async mounted() {
    loadMe().catch(() => {});
    try {
      this.lots = await api.all('/me/lots');
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.loading = false;
    }
    try {
      // the newest 30 days with a release in the last year (the API's widest range)
      const page = await api.get('/me/releases' + qs({ from: today(-365), to: today(), limit: 30 }));
      this.releases = page.items;
    } catch (e) {
      this.releases = [];
    }
  },
  methods: {
    sum(r) {
      return BigInt(r.static) + BigInt(r.share) + BigInt(r.team) + BigInt(r.peer);
    },
  },
};

export const LedgerPage = {
  template: `
  <div class="m-page">
    <section class="m-card" data-test="ledger">
      <div class="m-card-head">
        <h3>{{ t('ledger.title') }}</h3>
        <span class="muted m-small" v-if="asset && me">{{ t('ledger.balance') }} <b class="amount">{{ fm(me.balances[asset]) }}</b></span>
      </div>
      <div class="m-chips" data-test="asset-filter">
        <button type="button" class="m-chip" :class="{ on: !asset }" @click="pick('')">{{ t('ledger.all') }}</button>
        <button v-for="a in assets" :key="a" type="button" class="m-chip" :class="{ on: asset === a }" :data-asset="a" @click="pick(a)">{{ t('asset.' + a) }}</button>
      </div>
      <el-skeleton v-if="loading && !items.length" :rows="4" animated />
      <div v-else-if="error" class="field-error">{{ error }}</div>
      <el-empty v-else-if="!items.length" :description="t('common.none')" :image-size="70" />
      <div v-for="(e, i) in items" :key="(e.id || 'r') + ':' + i + ':' + e.asset" class="m-entry" :class="{ release: e.id === null }" data-test="entry" :data-kind="e.kind">
        <div class="m-entry-main">
          <div class="m-entry-kind">
            {{ label('kind.', e.kind) }}
            <el-tag v-if="e.id === null" size="small" type="success" effect="plain">{{ t('ledger.release') }}</el-tag>
          </div>
          <div class="muted m-small">{{ t('asset.' + e.asset) }} · {{ refText(e.ref) }}</div>
          <div class="muted m-small">{{ formatTime(e.at) }}</div>
        </div>
        <div class="m-entry-amounts">
          <div class="amount" :class="e.amount < 0 ? 'm-neg' : 'm-pos'" data-test="entry-amount">{{ signedMinor(e.amount) }}</div>
          <div class="muted m-small">{{ t('ledger.after') }} <span class="amount" data-test="entry-after">{{ fm(e.balance_after) }}</span></div>
        </div>
      </div>
      <div class="m-more" v-if="cursor">
        <el-button :loading="loading" @click="more" data-test="more">{{ t('common.more') }}</el-button>
      </div>
    </section>
  </div>`,
  setup() {
    return { t, label, formatTime, signedMinor, fm: (v) => formatMinor(v, true) };
  },
  data() {
    return { items: [], cursor: null, loading: false, error: '' };
  },
  computed: {
    me() {
      return session.me;
    },
    asset() {
      return ASSETS.includes(route.query.asset) ? route.query.asset : '';
    },
    assets() {
      return ASSETS;
    },
  },
  watch: {
    asset() {
      this.reload();
    },
  },
  mounted() {
    loadMe().catch(() => {});
    this.reload();
  },
  methods: {
    pick(a) {
      go('/ledger' + qs({ asset: a }));
    },
    refText(ref) {
      const m = /^day:(\d{4}-\d\d-\d\d)$/.exec(ref || '');
      if (m) {
        return t('ledger.day_ref', { day: m[1] });
      }
      const o = /^order:(.+)$/.exec(ref || '');
      if (o) {
        return t('ledger.order_ref', { id: o[1] });
      }
      return ref;
    },
    async reload() {
      this.items = [];
      this.cursor = null;
      await this.load();
    },
    async more() {
      await this.load();
    },
    async load() {
      this.loading = true;
      this.error = '';
      try {
        const page = await api.get('/me/ledger' + qs({ asset: this.asset, limit: 50, cursor: this.cursor }));
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
