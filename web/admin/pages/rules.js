// rules.js — 奖金制度参数: the rules in force (GET /admin/rules) as a form per program (one tab
// each), built from the rules document itself: switches, amounts typed with two decimals (sent
// in minor units), rates as exact decimal strings, lists and tables (tiers, ranks) whose rows can
// be added and removed; maps (areas, task caps) as JSON. Saving sends what changed
// (PUT /admin/rules merges it over the rules in force); the API's error is shown AT THE FIELD
// its path names (rules.release.tiers[1].multiplier), in its tab. A JSON editor for the whole
// document, and every version kept (GET /admin/rules/versions, /versions/{n}). Beside the save
// button, the rules check (SPEC 5.9): the warnings of the rules in force (GET /admin/rules/check)
// — pay beyond two generations, pay for recruiting — or of the unsaved draft (POST
// /admin/rules/check), in the console's language.
import { computed, nextTick, onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { lang, t } from '/assets/js/i18n.js';
import { formatMinor, parseAmount } from '/assets/js/money.js';
import { ASSETS, api, cursorList, dialogWidth, errorText, formatTime, isMobile, ok, showError } from '../lib.js';

// Integers that are counts, not amounts in minor units.
const COUNTS = new Set(['refund_window_days', 'compliance.max_generations']);
// Objects whose keys are the operator's own (a name → its provinces, a task kind → its cap).
const MAPS = new Set(['agents.areas', 'contribution.task_caps']);
// Strings with a fixed set of values.
const ENUMS = {
  'release.rank_basis': ['team', 'minor_legs', 'second_leg'],
  'ad.basis': ['balance', 'original'],
  'signin.asset': ASSETS.filter((a) => a !== 'locked'),
};
// The kind of the items of a list that may be empty.
const LIST_KINDS = { 'commission.rates': 'rate' };
// The columns of the tables that may be empty (`"ranks": []` turns the team differential off):
// an empty list has no row to learn them from.
const TABLE_COLS = {
  'release.tiers': [['name', 'string'], ['min', 'amount'], ['multiplier', 'rate']],
  'release.ranks': [['name', 'string'], ['min', 'amount'], ['rate', 'rate']],
};
const SECTION_ORDER = ['general', 'points', 'payment', 'withdraw', 'contribution', 'signin',
                       'release', 'ad', 'growth', 'agents', 'commission', 'tokens', 'compliance'];

// The path of a key without list indices: the key of its label.
function labelKey(path) {
  return path.replace(/\[\d+\]/g, '');
}

function kindOf(path, v) {
  const plain = labelKey(path);
  if (MAPS.has(plain)) {
    return 'json';
  }
  if (ENUMS[plain]) {
    return 'enum';
  }
  if (typeof v === 'boolean') {
    return 'bool';
  }
  if (typeof v === 'number' || (v === null && COUNTS.has(plain))) {
    return COUNTS.has(plain) ? 'count' : 'amount';
  }
  if (typeof v === 'string') {
    return /^[0-9]+(\.[0-9]+)?%?$/.test(v) ? 'rate' : 'string';
  }
  return 'json';
}

// The form tree of a rules object: objects, fields, lists of scalars, tables of objects.
function build(obj, prefix) {
  const nodes = [];
  for (const [key, v] of Object.entries(obj)) {
    const path = prefix ? prefix + '.' + key : key;
    if (Array.isArray(v)) {
      if (v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
        const cols = Object.keys(v[0]).map((c) => ({ key: c, kind: kindOf(path + '[0].' + c, v[0][c]) }));
        nodes.push({ type: 'table', key, path, cols });
      } else if (!v.length && TABLE_COLS[path]) {
        nodes.push({ type: 'table', key, path, cols: TABLE_COLS[path].map(([c, kind]) => ({ key: c, kind })) });
      } else {
        const kind = v.length ? kindOf(path + '[0]', v[0]) : LIST_KINDS[path] || 'rate';
        nodes.push({ type: 'list', key, path, kind });
      }
    } else if (v && typeof v === 'object' && !MAPS.has(path)) {
      nodes.push({ type: 'object', key, path, children: build(v, path) });
    } else {
      nodes.push({ type: 'field', key, path, kind: kindOf(path, v) });
    }
  }
  // the switch first, then the settings, then lists, tables and groups
  const rank = (n) => (n.key === 'enabled' ? 0 : n.type === 'field' ? 1 : n.type === 'list' ? 2 : 3);
  return nodes.sort((a, b) => rank(a) - rank(b));
}

function textOf(kind, v) {
  if (kind === 'bool') {
    return !!v;
  }
  if (kind === 'amount') {
    return v === null || v === undefined ? '' : formatMinor(v);
  }
  if (kind === 'count') {
    return v === null || v === undefined ? '' : String(v);
  }
  if (kind === 'json') {
    return JSON.stringify(v ?? null, null, 1);
  }
  return v ?? '';
}

// The values of the form (path → text, or rows), from a rules document.
function fill(nodes, obj, vals) {
  for (const n of nodes) {
    const v = obj ? obj[n.key] : undefined;
    if (n.type === 'object') {
      fill(n.children, v || {}, vals);
    } else if (n.type === 'field') {
      vals[n.path] = textOf(n.kind, v);
    } else if (n.type === 'list') {
      vals[n.path] = (v || []).map((x) => textOf(n.kind, x));
    } else {
      vals[n.path] = (v || []).map((row) => Object.fromEntries(n.cols.map((c) => [c.key, textOf(c.kind, row[c.key])])));
    }
  }
}

// A value of the form back into the rules document; errors[path] set when it cannot be.
function valueOf(kind, text, path, errors) {
  if (kind === 'bool') {
    return !!text;
  }
  if (kind === 'amount') {
    const p = parseAmount(text, { allowZero: true });
    if (p.error) {
      errors[path] = t(p.error);
      return undefined;
    }
    return p.value;
  }
  if (kind === 'count') {
    const s = String(text).trim();
    if (s === '' && COUNTS.has(labelKey(path)) && path.startsWith('compliance.')) {
      return null;
    }
    if (!/^\d{1,9}$/.test(s)) {
      errors[path] = t('adm.count_invalid');
      return undefined;
    }
    return Number(s);
  }
  if (kind === 'json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      errors[path] = t('rules.json_invalid');
      return undefined;
    }
  }
  return String(text).trim();
}

function collect(nodes, vals, errors) {
  const out = {};
  for (const n of nodes) {
    if (n.type === 'object') {
      out[n.key] = collect(n.children, vals, errors);
    } else if (n.type === 'field') {
      out[n.key] = valueOf(n.kind, vals[n.path], n.path, errors);
    } else if (n.type === 'list') {
      out[n.key] = vals[n.path].map((x, i) => valueOf(n.kind, x, `${n.path}[${i}]`, errors));
    } else {
      out[n.key] = vals[n.path].map((row, i) => Object.fromEntries(
        n.cols.map((c) => [c.key, valueOf(c.kind, row[c.key], `${n.path}[${i}].${c.key}`, errors)])));
    }
  }
  return out;
}

// What changed from `a` to `b`: objects key by key, anything else (lists too) whole.
function diff(a, b, prefix = '') {
  const out = {};
  for (const k of Object.keys(b)) {
    const x = a ? a[k] : undefined;
    const y = b[k];
    const path = prefix ? prefix + '.' + k : k;
    if (y && typeof y === 'object' && !Array.isArray(y) && x && typeof x === 'object' &&
        !Array.isArray(x) && !MAPS.has(path)) {
      const d = diff(x, y, path);
      if (Object.keys(d).length) {
        out[k] = d;
      }
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      out[k] = y;
    }
  }
  return out;
}

// The form of one object of the rules: its fields, lists and tables, its objects nested.
const RuleFields = {
  name: 'RuleFields',
  props: { nodes: Array, vals: Object, errors: Object, depth: { type: Number, default: 0 } },
  setup(props) {
    const ENUM_OPTIONS = ENUMS;
    function fieldLabel(path) {
      const k = 'rule.' + labelKey(path);
      const s = t(k);
      return s === k ? path.split('.').pop() : s;
    }
    function addRow(n) {
      if (n.type === 'list') {
        props.vals[n.path].push(n.kind === 'bool' ? false : '');
      } else {
        props.vals[n.path].push(Object.fromEntries(n.cols.map((c) => [c.key, c.kind === 'bool' ? false : ''])));
      }
    }
    function removeRow(n, i) {
      props.vals[n.path].splice(i, 1);
    }
    return { fieldLabel, addRow, removeRow, ENUM_OPTIONS, labelKey };
  },
  template: `
    <template v-for="n in nodes" :key="n.path">
      <div v-if="n.type === 'object'" class="adm-rule-group" :data-path="n.path">
        <div class="adm-rule-group-title">{{ fieldLabel(n.path) }} <code class="adm-rule-key">{{ n.path }}</code></div>
        <el-form-item v-if="errors[n.path]" :error="errors[n.path]" class="adm-rule-item" :data-path="n.path" />
        <rule-fields :nodes="n.children" :vals="vals" :errors="errors" :depth="depth + 1" />
      </div>
      <el-form-item v-else-if="n.type === 'field'" :error="errors[n.path] || ''" class="adm-rule-item" :data-path="n.path">
        <template #label><span>{{ fieldLabel(n.path) }}</span> <code class="adm-rule-key">{{ n.key }}</code></template>
        <el-switch v-if="n.kind === 'bool'" v-model="vals[n.path]" />
        <el-select v-else-if="n.kind === 'enum'" v-model="vals[n.path]" class="adm-rule-input">
          <el-option v-for="o in ENUM_OPTIONS[labelKey(n.path)]" :key="o" :value="o" :label="t('rule_enum.' + o) === 'rule_enum.' + o ? o : t('rule_enum.' + o)" />
        </el-select>
        <el-input v-else-if="n.kind === 'json'" v-model="vals[n.path]" type="textarea" :rows="3" class="adm-rule-input adm-mono" />
        <el-input v-else v-model="vals[n.path]" class="adm-rule-input" :name="n.path"
                  :placeholder="n.kind === 'rate' ? t('rules.rate_hint') : n.kind === 'amount' ? '0.00' : ''">
          <template v-if="n.kind === 'amount'" #suffix><span class="muted adm-small">{{ t('rules.amount_suffix') }}</span></template>
        </el-input>
      </el-form-item>
      <el-form-item v-else-if="n.type === 'list'" :error="errors[n.path] || ''" class="adm-rule-item" :data-path="n.path">
        <template #label><span>{{ fieldLabel(n.path) }}</span> <code class="adm-rule-key">{{ n.key }}</code></template>
        <div class="adm-rule-list">
          <div v-for="(x, i) in vals[n.path]" :key="i" class="adm-rule-list-row">
            <el-form-item :error="errors[n.path + '[' + i + ']'] || ''" :data-path="n.path + '[' + i + ']'" class="adm-rule-cell">
              <span class="muted adm-small adm-rule-idx">{{ i + 1 }}</span>
              <el-switch v-if="n.kind === 'bool'" v-model="vals[n.path][i]" />
              <el-input v-else v-model="vals[n.path][i]" size="small" class="adm-rule-list-input" />
              <el-button link type="danger" size="small" @click="removeRow(n, i)">{{ t('rules.remove') }}</el-button>
            </el-form-item>
          </div>
          <el-button size="small" @click="addRow(n)">+ {{ t('rules.add') }}</el-button>
        </div>
      </el-form-item>
      <el-form-item v-else :error="errors[n.path] || ''" class="adm-rule-item adm-rule-table-item" :data-path="n.path">
        <template #label><span>{{ fieldLabel(n.path) }}</span> <code class="adm-rule-key">{{ n.key }}</code></template>
        <div class="adm-rule-table">
          <div class="adm-rule-table-head">
            <span v-for="c in n.cols" :key="c.key" class="adm-rule-col">{{ fieldLabel(n.path + '.' + c.key) }}</span>
            <span class="adm-rule-col-x"></span>
          </div>
          <div v-for="(row, i) in vals[n.path]" :key="i" class="adm-rule-table-row">
            <el-form-item v-for="c in n.cols" :key="c.key" :error="errors[n.path + '[' + i + '].' + c.key] || ''"
                          :data-path="n.path + '[' + i + '].' + c.key" class="adm-rule-col">
              <el-switch v-if="c.kind === 'bool'" v-model="row[c.key]" />
              <el-input v-else v-model="row[c.key]" size="small" :placeholder="c.kind === 'amount' ? '0.00' : ''" />
            </el-form-item>
            <span class="adm-rule-col-x"><el-button link type="danger" size="small" @click="removeRow(n, i)">{{ t('rules.remove') }}</el-button></span>
          </div>
          <el-button size="small" @click="addRow(n)">+ {{ t('rules.add_row') }}</el-button>
        </div>
      </el-form-item>
    </template>`,
};

// The rules check beside the save button: the deepest pay, the limit, and each warning.
const RulesCheck = {
  name: 'RulesCheck',
  props: { check: Object, draft: Boolean },
  setup(props) {
    const zh = computed(() => lang.value === 'zh-CN');
    function deepest() {
      const c = props.check.compliance;
      const d = c.deepest_reach === 'unlimited' ? t('rules.check_unlimited')
        : c.deepest_reach === 'generations' ? t('rules.check_generations', { n: c.deepest_generations })
          : t('rules.check_off');
      return t('rules.check_deepest', { d });
    }
    function limit() {
      const n = props.check.compliance.max_generations;
      return n === null ? t('rules.check_no_limit') : t('rules.check_limit', { n });
    }
    function title(w) {
      const k = 'rules.warning.' + w.code;
      const s = t(k);
      return s === k ? (zh.value ? w.title_zh : w.title_en) : s;
    }
    function text(w) {
      return zh.value ? w.zh : w.en;
    }
    return { deepest, limit, title, text };
  },
  template: `
    <div class="adm-rules-check" :data-draft="draft ? 'yes' : 'no'">
      <div class="adm-rules-check-head muted adm-small">
        <span class="adm-rules-check-title">{{ t(draft ? 'rules.check_draft_title' : 'rules.check_title') }}</span>
        <span class="adm-rules-deepest">{{ deepest() }}</span>
        <span>{{ limit() }}</span>
      </div>
      <el-alert v-for="w in check.warnings" :key="w.code" type="warning" :closable="false" show-icon
                class="adm-rules-warning" :data-code="w.code" :title="title(w)" :description="text(w)" />
      <div v-if="!check.warnings.length" class="adm-small adm-rules-check-ok">{{ t('rules.check_none') }}</div>
    </div>`,
};

export const RulesPage = {
  name: 'RulesPage',
  components: { RuleFields, RulesCheck },
  setup() {
    const state = reactive({ loading: true, version: 0, rules: null, busy: false, alert: '',
                             alertPath: '', checking: false });
    const check = ref(null);
    const checkIsDraft = ref(false);
    const sections = ref([]);
    const vals = reactive({});
    const errors = reactive({});
    const tab = ref('general');
    const mode = ref('form');
    const jsonText = ref('');
    const versions = cursorList(() => '/admin/rules/versions', 10);

    function clearErrors() {
      for (const k of Object.keys(errors)) {
        delete errors[k];
      }
      state.alert = '';
      state.alertPath = '';
    }
    async function load() {
      state.loading = true;
      try {
        const r = await api.get('/admin/rules');
        state.version = r.version;
        state.rules = r.rules;
        const general = {};
        const secs = [];
        for (const [k, v] of Object.entries(r.rules)) {
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            secs.push({ key: k, nodes: build({ [k]: v }, '')[0].children });
          } else {
            general[k] = v;
          }
        }
        secs.unshift({ key: 'general', nodes: build(general, '') });
        secs.sort((a, b) => {
          const ia = SECTION_ORDER.indexOf(a.key);
          const ib = SECTION_ORDER.indexOf(b.key);
          return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
        });
        for (const k of Object.keys(vals)) {
          delete vals[k];
        }
        for (const s of secs) {
          fill(s.nodes, s.key === 'general' ? r.rules : r.rules[s.key], vals);
        }
        sections.value = secs;
        jsonText.value = JSON.stringify(r.rules, null, 2);
        clearErrors();
        loadCheck();
      } catch (e) {
        showError(e);
      } finally {
        state.loading = false;
      }
    }
    async function loadCheck() {
      try {
        check.value = await api.get('/admin/rules/check');
        checkIsDraft.value = false;
      } catch (e) {
        showError(e);
      }
    }
    onMounted(() => {
      load();
      versions.reload();
    });

    // The tab and form item of an error path: the longest path shown that starts it.
    function place(path) {
      let p = path;
      while (p) {
        if (document.querySelector(`.adm-rules-form [data-path="${CSS.escape(p)}"]`) || p in vals) {
          return p;
        }
        const m = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(p);
        p = m ? m[1] : '';
      }
      return '';
    }
    function sectionOf(path) {
      const top = path.split(/[.[]/)[0];
      return sections.value.some((s) => s.key === top) ? top : 'general';
    }
    async function showAt(path, message) {
      mode.value = 'form';
      tab.value = sectionOf(path);
      await nextTick();
      const at = place(path);
      if (at) {
        errors[at] = message;
        await nextTick();
        const el = document.querySelector(`.adm-rules-form [data-path="${CSS.escape(at)}"]`);
        if (el) {
          el.scrollIntoView({ block: 'center' });
        }
      }
      state.alert = message;
      state.alertPath = path;
    }

    async function send(doc) {
      const patch = diff(state.rules, doc);
      if (!Object.keys(patch).length) {
        ok(t('rules.unchanged'));
        return;
      }
      state.busy = true;
      try {
        const r = await api.put('/admin/rules', patch);
        ok(t('rules.saved', { v: r.version }));
        await load();
        versions.reload();
      } catch (e) {
        await apiError(e);
      } finally {
        state.busy = false;
      }
    }
    // The API's refusal of a rules change (or of a draft's check): at its field, else a message.
    async function apiError(e) {
      if (e.status === 401) {
        return;
      }
      if (e.field && e.field.startsWith('rules')) {
        const path = e.field.replace(/^rules\.?/, '');
        if (mode.value === 'json') {
          state.alert = errorText(e);
          state.alertPath = path;
        } else {
          await showAt(path, errorText(e));
        }
      } else {
        showError(e);
      }
    }
    // The document of the form, or null when a field cannot be read (its error shown).
    async function formDoc() {
      const doc = {};
      for (const s of sections.value) {
        const part = collect(s.nodes, vals, errors);
        if (s.key === 'general') {
          Object.assign(doc, part);
        } else {
          doc[s.key] = part;
        }
      }
      const bad = Object.keys(errors).filter((k) => errors[k]);
      if (bad.length) {
        await showAt(bad[0], errors[bad[0]]);
        return null;
      }
      return doc;
    }
    // The document of the JSON editor, or null when it is not a JSON object (said).
    function jsonDoc() {
      let doc;
      try {
        doc = JSON.parse(jsonText.value);
      } catch (e) {
        state.alert = t('rules.json_invalid') + ': ' + e.message;
        return null;
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        state.alert = t('rules.json_invalid');
        return null;
      }
      return doc;
    }
    async function save() {
      clearErrors();
      const doc = await formDoc();
      if (doc) {
        await send(doc);
      }
    }
    async function saveJson() {
      clearErrors();
      const doc = jsonDoc();
      if (doc) {
        await send(doc);
      }
    }
    // The check of what the form (or the JSON editor) holds, merged over the rules in force,
    // without saving it.
    async function checkDraft() {
      clearErrors();
      const doc = mode.value === 'json' ? jsonDoc() : await formDoc();
      if (!doc) {
        return;
      }
      state.checking = true;
      try {
        check.value = await api.post('/admin/rules/check', diff(state.rules, doc));
        checkIsDraft.value = true;
      } catch (e) {
        await apiError(e);
      } finally {
        state.checking = false;
      }
    }
    function reset() {
      load();
    }

    // one version's whole document
    const view = reactive({ open: false, v: null, text: '', loading: false });
    async function openVersion(row) {
      view.open = true;
      view.v = row;
      view.text = '';
      view.loading = true;
      try {
        const r = await api.get('/admin/rules/versions/' + row.version);
        view.text = JSON.stringify(r.rules, null, 2);
      } catch (e) {
        showError(e);
      } finally {
        view.loading = false;
      }
    }
    const labelPosition = computed(() => (isMobile() ? 'top' : 'left'));
    function sectionLabel(k) {
      const s = t('rule_sec.' + k);
      return s === 'rule_sec.' + k ? k : s;
    }
    return { state, sections, vals, errors, tab, mode, jsonText, versions, save, saveJson, reset,
             view, openVersion, labelPosition, sectionLabel, formatTime, dialogWidth, check,
             checkIsDraft, checkDraft };
  },
  template: `
    <div class="adm-page" v-loading="state.loading">
      <el-card shadow="never" class="adm-card">
        <template #header>
          <div class="adm-card-head">
            <span>{{ t('rules.in_force') }} <el-tag disable-transitions size="small" class="adm-rules-version">v{{ state.version }}</el-tag></span>
            <span class="adm-actions">
              <el-radio-group v-model="mode" size="small">
                <el-radio-button value="form">{{ t('rules.form') }}</el-radio-button>
                <el-radio-button value="json">JSON</el-radio-button>
              </el-radio-group>
            </span>
          </div>
        </template>
        <div class="muted adm-small adm-mb">{{ t('rules.intro') }}</div>
        <el-alert v-if="state.alert" type="error" :closable="false" show-icon class="adm-mb adm-rules-alert"
                  :title="state.alertPath ? state.alertPath + ': ' + state.alert : state.alert" />
        <template v-if="mode === 'form'">
          <el-form :label-position="labelPosition" label-width="230px" class="adm-rules-form" @submit.prevent="save">
            <el-tabs v-model="tab" class="adm-rules-tabs">
              <el-tab-pane v-for="s in sections" :key="s.key" :name="s.key" :label="sectionLabel(s.key)">
                <rule-fields :nodes="s.nodes" :vals="vals" :errors="errors" />
              </el-tab-pane>
            </el-tabs>
          </el-form>
        </template>
        <template v-else>
          <el-input v-model="jsonText" type="textarea" :rows="24" class="adm-mono adm-rules-json" spellcheck="false" />
        </template>
        <div class="adm-rules-footer">
          <rules-check v-if="check" :check="check" :draft="checkIsDraft" />
          <div class="adm-form-actions">
            <el-button @click="reset">{{ t('rules.reset') }}</el-button>
            <el-button :loading="state.checking" class="adm-rules-check-draft" @click="checkDraft">{{ t('rules.check_draft') }}</el-button>
            <el-button v-if="mode === 'form'" type="primary" :loading="state.busy" class="adm-rules-save" @click="save">{{ t('rules.save') }}</el-button>
            <el-button v-else type="primary" :loading="state.busy" class="adm-rules-save-json" @click="saveJson">{{ t('rules.save') }}</el-button>
          </div>
        </div>
      </el-card>

      <el-card shadow="never" class="adm-card">
        <template #header>{{ t('rules.versions') }}</template>
        <el-table :data="versions.state.items" v-loading="versions.state.loading" size="small" :empty-text="t('common.none')" class="adm-versions-table">
          <el-table-column :label="t('rules.version')" min-width="70"><template #default="{ row }">v{{ row.version }}</template></el-table-column>
          <el-table-column :label="t('rules.effective_day')" prop="effective_day" min-width="110" />
          <el-table-column :label="t('adm.time')" min-width="150"><template #default="{ row }">{{ formatTime(row.created_at) }}</template></el-table-column>
          <el-table-column :label="t('rules.created_by')" min-width="100"><template #default="{ row }">{{ row.created_by || t('rules.defaults') }}</template></el-table-column>
          <el-table-column :label="t('adm.actions')" width="80"><template #default="{ row }"><el-button link type="primary" size="small" @click="openVersion(row)">{{ t('adm.view') }}</el-button></template></el-table-column>
        </el-table>
        <cursor-pager :list="versions" />
      </el-card>

      <el-dialog v-model="view.open" :title="view.v ? t('rules.version_n', { v: view.v.version }) : ''" :width="dialogWidth('720px')" append-to-body>
        <div v-loading="view.loading"><pre class="adm-pre">{{ view.text }}</pre></div>
      </el-dialog>
    </div>`,
};
