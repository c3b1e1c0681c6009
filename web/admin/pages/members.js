// members.js — 会员管理: search by phone or id (GET /admin/members?q=), and a member's page
// (GET /admin/members/{id}): balances, debts, freeze state, the ledger, the open lots, the team
// generation by generation with its performance split into cash and points; freeze or unfreeze
// (POST .../freeze) and add or remove an asset with a reason (POST .../adjust).
import { computed, onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import { parseAmount } from '/assets/js/money.js';
import {
  ADJUSTABLE, ASSETS, api, cursorList, dialogWidth, formErrors, formatTime, go, isMobile,
  memberPath, ok, route, showError,
} from '../lib.js';

export const MembersPage = {
  name: 'MembersPage',
  setup() {
    const q = ref(route.query.q || '');
    const list = cursorList(() => '/admin/members' + (q.value.trim() ? '?q=' + encodeURIComponent(q.value.trim()) : ''));
    onMounted(() => list.reload());
    function search() {
      list.reload();
    }
    function open(row) {
      go(memberPath(row.member));
    }
    return { q, list, search, open };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <el-form :inline="true" @submit.prevent="search" class="adm-search">
          <el-form-item :label="t('mem.search')">
            <el-input v-model="q" :placeholder="t('mem.search_hint')" clearable name="q" @clear="search" />
          </el-form-item>
          <el-form-item>
            <el-button type="primary" native-type="submit">{{ t('common.search') }}</el-button>
          </el-form-item>
        </el-form>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" class="adm-members-table"
                  :empty-text="t('common.none')" @row-click="open" row-class-name="adm-clickable">
          <el-table-column :label="t('mem.member')" min-width="130">
            <template #default="{ row }"><member-link :id="row.member" /></template>
          </el-table-column>
          <el-table-column :label="t('mem.phone')" prop="phone" min-width="120" />
          <el-table-column :label="t('mem.own_performance')" align="right" min-width="120">
            <template #default="{ row }"><amount :v="row.performance" /></template>
          </el-table-column>
          <el-table-column :label="t('adm.actions')" width="90" fixed="right">
            <template #default="{ row }"><el-button link type="primary" size="small" @click.stop="open(row)">{{ t('adm.view') }}</el-button></template>
          </el-table-column>
        </el-table>
        <cursor-pager :list="list" />
      </el-card>
    </div>`,
};

export const MemberPage = {
  name: 'MemberPage',
  props: { id: { type: String, required: true } },
  setup(props) {
    const state = reactive({ loading: true, m: null, notFound: false });
    const tab = ref('ledger');
    async function load() {
      state.loading = true;
      try {
        state.m = await api.get('/admin/members/' + encodeURIComponent(props.id));
      } catch (e) {
        if (e.status === 404) {
          state.notFound = true;
        } else {
          showError(e);
        }
      } finally {
        state.loading = false;
      }
    }

    // the ledger: the newest page comes with the member, the rest by cursor (and by asset)
    const ledgerAsset = ref('');
    const ledger = cursorList(() => `/admin/members/${encodeURIComponent(props.id)}/ledger` +
                                    (ledgerAsset.value ? '?asset=' + ledgerAsset.value : ''));
    const lots = cursorList(() => `/admin/members/${encodeURIComponent(props.id)}/lots`);
    const generation = ref(1);
    const team = cursorList(() => `/admin/members/${encodeURIComponent(props.id)}/team?generation=${generation.value}`);
    function pickGeneration(g) {
      generation.value = g;
      team.reload();
    }
    onMounted(async () => {
      await load();
      if (state.m) {
        ledger.reload();
        lots.reload();
        const first = state.m.team.generations[0];
        if (first) {
          pickGeneration(first.generation);
        }
      }
    });

    // freeze / unfreeze
    const freeze = reactive({ open: false, withdrawals: false, all: false, busy: false });
    function openFreeze() {
      freeze.withdrawals = state.m.frozen.withdrawals;
      freeze.all = state.m.frozen.all;
      freeze.open = true;
    }
    async function saveFreeze() {
      freeze.busy = true;
      try {
        await api.post(`/admin/members/${encodeURIComponent(props.id)}/freeze`,
                       { withdrawals: freeze.withdrawals, all: freeze.all });
        freeze.open = false;
        ok(t('mem.freeze_saved'));
        await load();
      } catch (e) {
        showError(e);
      } finally {
        freeze.busy = false;
      }
    }

    // adjust an asset
    const adj = reactive({ open: false, asset: 'points', direction: 'add', amount: '', reason: '',
                           busy: false });
    const adjErrors = formErrors(['asset', 'amount', 'reason']);
    function openAdjust(asset) {
      adj.asset = ADJUSTABLE.includes(asset) ? asset : 'points';
      adj.direction = 'add';
      adj.amount = '';
      adj.reason = '';
      adjErrors.clear();
      adj.open = true;
    }
    async function saveAdjust() {
      adjErrors.clear();
      const text = String(adj.amount).trim();
      // the sign is part of the typed text, so no arithmetic touches the amount
      const p = text.startsWith('-') ? { error: 'amount.negative' }
        : parseAmount((adj.direction === 'remove' ? '-' : '') + text, { allowNegative: true });
      if (p.error) {
        adjErrors.amount = t(p.error);
      }
      if (!adj.reason.trim()) {
        adjErrors.reason = t('mem.reason_needed');
      }
      if (p.error || !adj.reason.trim()) {
        return;
      }
      adj.busy = true;
      try {
        await api.post(`/admin/members/${encodeURIComponent(props.id)}/adjust`,
                       { asset: adj.asset, amount: p.value, reason: adj.reason.trim() });
        adj.open = false;
        ok(t('mem.adjusted'));
        await load();
        ledger.reload();
      } catch (e) {
        showError(e, adjErrors);
      } finally {
        adj.busy = false;
      }
    }
    const debts = computed(() => (state.m ? Object.entries(state.m.debts) : []));
    const mobile = computed(() => isMobile());
    return { state, tab, ledger, ledgerAsset, lots, team, generation, pickGeneration, freeze,
             openFreeze, saveFreeze, adj, adjErrors, openAdjust, saveAdjust, debts, ASSETS,
             ADJUSTABLE, formatTime, dialogWidth, mobile, go };
  },
  template: `
    <div class="adm-page" v-loading="state.loading">
      <div class="adm-toolbar">
        <el-button size="small" @click="go('/members')">← {{ t('mem.back') }}</el-button>
      </div>
      <el-empty v-if="state.notFound" :description="t('mem.not_found', { id })" />
      <template v-if="state.m">
        <el-card shadow="never" class="adm-card adm-member-head">
          <template #header>
            <div class="adm-card-head">
              <span>{{ t('mem.member') }} <b class="adm-member-id">{{ state.m.member }}</b></span>
              <span class="adm-actions">
                <el-button size="small" type="warning" class="adm-freeze-btn" @click="openFreeze">{{ t('mem.freeze') }}</el-button>
                <el-button size="small" type="primary" class="adm-adjust-btn" @click="openAdjust('points')">{{ t('mem.adjust') }}</el-button>
              </span>
            </div>
          </template>
          <el-descriptions :column="mobile ? 1 : 3" size="small" border>
            <el-descriptions-item :label="t('mem.phone')">{{ state.m.phone }}</el-descriptions-item>
            <el-descriptions-item :label="t('mem.referrer')"><member-link :id="state.m.referrer || ''" /></el-descriptions-item>
            <el-descriptions-item :label="t('mem.state')">
              <span class="adm-frozen-state">
                <el-tag disable-transitions v-if="state.m.frozen.all" type="danger" size="small">{{ t('mem.frozen_all') }}</el-tag>
                <el-tag disable-transitions v-else-if="state.m.frozen.withdrawals" type="warning" size="small">{{ t('mem.frozen_withdrawals') }}</el-tag>
                <el-tag disable-transitions v-else type="success" size="small">{{ t('mem.active') }}</el-tag>
              </span>
            </el-descriptions-item>
          </el-descriptions>
        </el-card>

        <el-card shadow="never" class="adm-card">
          <template #header>{{ t('mem.balances') }}</template>
          <el-row :gutter="10">
            <el-col v-for="a in ASSETS" :key="a" :xs="12" :sm="8" :md="6" :lg="4">
              <div class="adm-balance" :data-asset="a">
                <div class="muted">{{ t('asset.' + a) }}</div>
                <div class="adm-balance-v"><amount :v="state.m.balances[a]" /></div>
                <div v-if="state.m.debts[a]" class="adm-debt">{{ t('mem.debt') }} <amount :v="state.m.debts[a]" /></div>
              </div>
            </el-col>
          </el-row>
          <div v-if="!debts.length" class="muted adm-small">{{ t('mem.no_debts') }}</div>
        </el-card>

        <el-card shadow="never" class="adm-card">
          <el-tabs v-model="tab">
            <el-tab-pane :label="t('mem.ledger')" name="ledger">
              <div class="adm-toolbar">
                <el-select v-model="ledgerAsset" size="small" :placeholder="t('mem.all_assets')" clearable style="width: 160px" @change="ledger.reload()">
                  <el-option v-for="a in ASSETS" :key="a" :value="a" :label="t('asset.' + a)" />
                </el-select>
              </div>
              <el-table :data="ledger.state.items" v-loading="ledger.state.loading" size="small" :empty-text="t('common.none')" class="adm-ledger-table">
                <el-table-column :label="t('adm.time')" min-width="150"><template #default="{ row }">{{ formatTime(row.at) }}</template></el-table-column>
                <el-table-column :label="t('adm.asset')" min-width="90"><template #default="{ row }">{{ t('asset.' + row.asset) }}</template></el-table-column>
                <el-table-column :label="t('adm.amount')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.amount" /></template></el-table-column>
                <el-table-column :label="t('mem.balance_after')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.balance_after" /></template></el-table-column>
                <el-table-column :label="t('mem.kind')" min-width="140"><template #default="{ row }">{{ label('kind.', row.kind) }}</template></el-table-column>
                <el-table-column :label="t('mem.ref')" prop="ref" min-width="160" show-overflow-tooltip />
              </el-table>
              <cursor-pager :list="ledger" />
            </el-tab-pane>
            <el-tab-pane :label="t('mem.lots')" name="lots">
              <el-table :data="lots.state.items" v-loading="lots.state.loading" size="small" :empty-text="t('common.none')">
                <el-table-column :label="t('mem.order')" prop="order" min-width="120" />
                <el-table-column :label="t('mem.lot_amount')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.amount" /></template></el-table-column>
                <el-table-column :label="t('mem.lot_total')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.total" /></template></el-table-column>
                <el-table-column :label="t('mem.lot_remaining')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.remaining" /></template></el-table-column>
                <el-table-column :label="t('mem.lot_daily')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.daily" /></template></el-table-column>
              </el-table>
              <cursor-pager :list="lots" />
            </el-tab-pane>
            <el-tab-pane :label="t('mem.team')" name="team">
              <el-descriptions :column="mobile ? 1 : 4" size="small" border class="adm-mb">
                <el-descriptions-item :label="t('mem.team_members')">{{ state.m.team.members }}</el-descriptions-item>
                <el-descriptions-item :label="t('mem.team_performance')"><amount :v="state.m.team.performance" /></el-descriptions-item>
                <el-descriptions-item :label="t('mem.perf_cash')"><amount :v="state.m.team.performance_cash" /></el-descriptions-item>
                <el-descriptions-item :label="t('mem.perf_points')"><amount :v="state.m.team.performance_points" /></el-descriptions-item>
              </el-descriptions>
              <el-table :data="state.m.team.generations" size="small" :empty-text="t('mem.no_team')" highlight-current-row
                        @row-click="(r) => pickGeneration(r.generation)" row-class-name="adm-clickable" class="adm-gen-table">
                <el-table-column :label="t('mem.generation')" min-width="90"><template #default="{ row }">
                  <el-button link size="small" :type="row.generation === generation ? 'primary' : 'default'">{{ t('mem.generation_n', { n: row.generation }) }}</el-button></template></el-table-column>
                <el-table-column :label="t('mem.team_members')" prop="members" align="right" min-width="80" />
                <el-table-column :label="t('mem.team_performance')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.performance" /></template></el-table-column>
                <el-table-column :label="t('mem.perf_cash')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.cash" /></template></el-table-column>
                <el-table-column :label="t('mem.perf_points')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.points" /></template></el-table-column>
              </el-table>
              <template v-if="state.m.team.generations.length">
                <div class="adm-subtitle">{{ t('mem.generation_members', { n: generation }) }}</div>
                <el-table :data="team.state.items" v-loading="team.state.loading" size="small" :empty-text="t('common.none')" class="adm-team-table">
                  <el-table-column :label="t('mem.member')" min-width="120"><template #default="{ row }"><member-link :id="row.member" /></template></el-table-column>
                  <el-table-column :label="t('mem.phone')" prop="phone" min-width="120" />
                  <el-table-column :label="t('mem.own_performance')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.performance" /></template></el-table-column>
                  <el-table-column :label="t('mem.perf_cash')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.performance_cash" /></template></el-table-column>
                  <el-table-column :label="t('mem.perf_points')" align="right" min-width="110"><template #default="{ row }"><amount :v="row.performance_points" /></template></el-table-column>
                </el-table>
                <cursor-pager :list="team" />
              </template>
            </el-tab-pane>
          </el-tabs>
        </el-card>
      </template>

      <el-dialog v-model="freeze.open" :title="t('mem.freeze')" :width="dialogWidth()" class="adm-freeze-dialog" append-to-body>
        <el-form label-position="top">
          <el-form-item>
            <el-checkbox v-model="freeze.withdrawals" name="withdrawals">{{ t('mem.freeze_withdrawals') }}</el-checkbox>
          </el-form-item>
          <el-form-item>
            <el-checkbox v-model="freeze.all" name="all">{{ t('mem.freeze_all') }}</el-checkbox>
          </el-form-item>
          <div class="muted adm-small">{{ t('mem.freeze_hint') }}</div>
        </el-form>
        <template #footer>
          <el-button @click="freeze.open = false">{{ t('common.cancel') }}</el-button>
          <el-button type="primary" :loading="freeze.busy" class="adm-submit" @click="saveFreeze">{{ t('common.save') }}</el-button>
        </template>
      </el-dialog>

      <el-dialog v-model="adj.open" :title="t('mem.adjust')" :width="dialogWidth()" class="adm-adjust-dialog" append-to-body>
        <el-form label-position="top" @submit.prevent="saveAdjust">
          <el-form-item :label="t('adm.asset')" :error="adjErrors.asset">
            <el-select v-model="adj.asset" name="asset">
              <el-option v-for="a in ADJUSTABLE" :key="a" :value="a" :label="t('asset.' + a)" />
            </el-select>
          </el-form-item>
          <el-form-item :label="t('mem.direction')">
            <el-radio-group v-model="adj.direction">
              <el-radio-button value="add">{{ t('mem.add') }}</el-radio-button>
              <el-radio-button value="remove">{{ t('mem.remove') }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item :label="t('adm.amount')" :error="adjErrors.amount">
            <el-input v-model="adj.amount" name="amount" inputmode="decimal" placeholder="0.00" />
          </el-form-item>
          <el-form-item :label="t('mem.reason')" :error="adjErrors.reason">
            <el-input v-model="adj.reason" name="reason" maxlength="200" />
          </el-form-item>
        </el-form>
        <template #footer>
          <el-button @click="adj.open = false">{{ t('common.cancel') }}</el-button>
          <el-button type="primary" :loading="adj.busy" class="adm-submit" @click="saveAdjust">{{ t('common.submit') }}</el-button>
        </template>
      </el-dialog>
    </div>`,
};
