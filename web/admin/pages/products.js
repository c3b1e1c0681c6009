// products.js — 商品管理: every product with its settings (GET /admin/products?zone=), a new
// one (POST /admin/products, then PATCH for the settings that POST does not take), and a change
// of some fields (PATCH /admin/products/{id}: only the fields changed are sent; an empty
// optional setting goes back to the rules' default).
import { onMounted, reactive, ref } from '/assets/vendor/vue.esm-browser.prod.js';
import { t } from '/assets/js/i18n.js';
import { formatMinor, parseAmount } from '/assets/js/money.js';
import {
  ZONES, api, cursorList, dialogWidth, formErrors, formatTime, ok, parseCount, showError,
} from '../lib.js';

const FIELDS = ['id', 'name', 'zone', 'price', 'stock', 'active', 'points', 'points_rate',
                'release_eligible', 'ad_ratio', 'growth_ratio', 'points_price'];
const RATES = ['points_rate', 'ad_ratio', 'growth_ratio'];

function emptyForm() {
  return { id: '', name: '', zone: 'normal', price: '', stock: '', active: true, points: '',
           points_rate: '', release_eligible: '', ad_ratio: '', growth_ratio: '', points_price: '' };
}

// The form of a product row: amounts as typed text with two decimals.
function formOf(p) {
  return {
    id: p.id, name: p.name, zone: p.zone, price: formatMinor(p.price), active: p.active,
    stock: p.stock === null ? '' : String(p.stock),
    points: p.points === null ? '' : formatMinor(p.points),
    points_rate: p.points_rate ?? '', ad_ratio: p.ad_ratio ?? '', growth_ratio: p.growth_ratio ?? '',
    release_eligible: p.release_eligible === null ? '' : String(p.release_eligible),
    points_price: p.points_price === null ? '' : formatMinor(p.points_price),
  };
}

export const ProductsPage = {
  name: 'ProductsPage',
  setup() {
    const zone = ref('');
    const list = cursorList(() => '/admin/products' + (zone.value ? '?zone=' + zone.value : ''));
    onMounted(() => list.reload());

    const dlg = reactive({ open: false, mode: 'create', busy: false, original: null });
    const form = reactive(emptyForm());
    const errors = formErrors(FIELDS);
    function openCreate() {
      Object.assign(form, emptyForm());
      errors.clear();
      dlg.mode = 'create';
      dlg.original = null;
      dlg.open = true;
    }
    function openEdit(row) {
      Object.assign(form, formOf(row));
      errors.clear();
      dlg.mode = 'edit';
      dlg.original = row;
      dlg.open = true;
    }

    // The request fields of the form, each checked (null: an error shown at its field).
    function values() {
      const v = {};
      let bad = false;
      const amount = (key, optional) => {
        const text = String(form[key]).trim();
        if (optional && text === '') {
          v[key] = null;
          return;
        }
        const p = parseAmount(text, { allowZero: true });
        if (p.error) {
          errors[key] = t(p.error);
          bad = true;
        } else {
          v[key] = p.value;
        }
      };
      if (dlg.mode === 'create' && !form.id.trim()) {
        errors.id = t('prod.id_needed');
        bad = true;
      }
      if (!form.name.trim()) {
        errors.name = t('prod.name_needed');
        bad = true;
      }
      v.name = form.name.trim();
      v.zone = form.zone;
      amount('price', false);
      amount('points', true);
      amount('points_price', true);
      const stock = parseCount(form.stock);
      if (stock.error) {
        errors.stock = t(stock.error);
        bad = true;
      } else {
        v.stock = stock.value;
      }
      for (const k of RATES) {
        v[k] = String(form[k]).trim() || null;
      }
      v.release_eligible = form.release_eligible === '' ? null : form.release_eligible === 'true';
      v.active = form.active;
      return bad ? null : v;
    }

    async function save() {
      errors.clear();
      const v = values();
      if (!v) {
        return;
      }
      dlg.busy = true;
      try {
        if (dlg.mode === 'create') {
          const id = form.id.trim();
          if (list.state.items.some((p) => p.id === id)) {
            errors.id = t('prod.exists');
            return;
          }
          const body = { id, name: v.name, zone: v.zone, price: v.price };
          for (const k of ['stock', 'points', 'points_price']) {
            if (v[k] !== null) {
              body[k] = v[k];
            }
          }
          await api.post('/admin/products', body);
          // the settings POST does not take
          const extra = {};
          for (const k of [...RATES, 'release_eligible']) {
            if (v[k] !== null) {
              extra[k] = v[k];
            }
          }
          if (!v.active) {
            extra.active = false;
          }
          if (Object.keys(extra).length) {
            // the product exists now: should its settings be refused, the dialog edits it
            dlg.mode = 'edit';
            dlg.original = { ...v, id, points_rate: null, ad_ratio: null, growth_ratio: null,
                             release_eligible: null, active: true };
            list.refresh();
            await api.patch('/admin/products/' + encodeURIComponent(id), extra);
          }
          ok(t('prod.created', { id }));
        } else {
          const o = dlg.original;
          const patch = {};
          for (const k of ['name', 'zone', 'price', 'stock', 'active', 'points', 'points_price',
                           ...RATES, 'release_eligible']) {
            if (v[k] !== o[k]) {
              patch[k] = v[k];
            }
          }
          if (!Object.keys(patch).length) {
            dlg.open = false;
            ok(t('prod.unchanged'));
            return;
          }
          await api.patch('/admin/products/' + encodeURIComponent(o.id), patch);
          ok(t('prod.saved', { id: o.id }));
        }
        dlg.open = false;
        list.refresh();
      } catch (e) {
        showError(e, errors);
      } finally {
        dlg.busy = false;
      }
    }

    async function toggle(row) {
      try {
        await api.patch('/admin/products/' + encodeURIComponent(row.id), { active: !row.active });
        ok(row.active ? t('prod.off_sale') : t('prod.on_sale'));
        list.refresh();
      } catch (e) {
        showError(e);
      }
    }
    return { zone, list, dlg, form, errors, openCreate, openEdit, save, toggle, ZONES,
             dialogWidth, formatTime };
  },
  template: `
    <div class="adm-page">
      <el-card shadow="never" class="adm-card">
        <div class="adm-toolbar">
          <el-select v-model="zone" size="small" :placeholder="t('prod.all_zones')" clearable style="width: 150px" @change="list.reload()">
            <el-option v-for="z in ZONES" :key="z" :value="z" :label="t('zone.' + z)" />
          </el-select>
          <el-button type="primary" size="small" class="adm-new-product" @click="openCreate">+ {{ t('prod.new') }}</el-button>
        </div>
        <el-table :data="list.state.items" v-loading="list.state.loading" size="small" :empty-text="t('common.none')" class="adm-products-table">
          <el-table-column :label="t('prod.id')" prop="id" min-width="100" />
          <el-table-column :label="t('prod.name')" prop="name" min-width="150" show-overflow-tooltip />
          <el-table-column :label="t('prod.zone')" min-width="90"><template #default="{ row }"><el-tag disable-transitions size="small" :type="row.zone === 'entry' ? 'danger' : row.zone === 'mall' ? 'warning' : 'info'">{{ t('zone.' + row.zone) }}</el-tag></template></el-table-column>
          <el-table-column :label="t('prod.price')" align="right" min-width="100"><template #default="{ row }"><amount :v="row.price" /></template></el-table-column>
          <el-table-column :label="t('prod.stock')" align="right" min-width="80"><template #default="{ row }">{{ row.stock === null ? t('prod.unlimited') : row.stock }}</template></el-table-column>
          <el-table-column :label="t('prod.points')" align="right" min-width="100"><template #default="{ row }">
            <amount v-if="row.points !== null" :v="row.points" /><span v-else-if="row.points_rate">{{ row.points_rate }}</span><span v-else class="muted">{{ t('prod.default') }}</span></template></el-table-column>
          <el-table-column :label="t('prod.status')" min-width="90"><template #default="{ row }">
            <el-tag disable-transitions size="small" :type="row.active ? 'success' : 'info'">{{ row.active ? t('prod.active') : t('prod.inactive') }}</el-tag></template></el-table-column>
          <el-table-column :label="t('adm.updated')" min-width="150"><template #default="{ row }">{{ formatTime(row.updated_at) }}</template></el-table-column>
          <el-table-column :label="t('adm.actions')" width="140" fixed="right"><template #default="{ row }">
            <el-button link type="primary" size="small" class="adm-edit" @click="openEdit(row)">{{ t('adm.edit') }}</el-button>
            <el-button link size="small" @click="toggle(row)">{{ row.active ? t('prod.take_off') : t('prod.put_on') }}</el-button></template></el-table-column>
        </el-table>
        <cursor-pager :list="list" />
      </el-card>

      <el-dialog v-model="dlg.open" :title="dlg.mode === 'create' ? t('prod.new') : t('prod.edit', { id: form.id })" :width="dialogWidth('640px')" class="adm-product-dialog" append-to-body>
        <el-form label-position="top" @submit.prevent="save">
          <el-row :gutter="12">
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.id')" :error="errors.id">
                <el-input v-model="form.id" name="id" :disabled="dlg.mode !== 'create'" maxlength="64" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.name')" :error="errors.name">
                <el-input v-model="form.name" name="name" maxlength="200" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.zone')" :error="errors.zone">
                <el-select v-model="form.zone" name="zone" class="adm-zone-select">
                  <el-option v-for="z in ZONES" :key="z" :value="z" :label="t('zone.' + z)" />
                </el-select>
                <div class="muted adm-small">{{ t('zone_hint.' + form.zone) }}</div>
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.price_yuan')" :error="errors.price">
                <el-input v-model="form.price" name="price" inputmode="decimal" placeholder="0.00" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.stock')" :error="errors.stock">
                <el-input v-model="form.stock" name="stock" inputmode="numeric" :placeholder="t('prod.unlimited')" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.status')" :error="errors.active">
                <el-switch v-model="form.active" :active-text="t('prod.active')" :inactive-text="t('prod.inactive')" />
              </el-form-item>
            </el-col>
          </el-row>
          <el-divider content-position="left">{{ t('prod.rewards') }}</el-divider>
          <el-row :gutter="12">
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.points_per_unit')" :error="errors.points">
                <el-input v-model="form.points" name="points" inputmode="decimal" :placeholder="t('prod.default')" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.points_rate')" :error="errors.points_rate">
                <el-input v-model="form.points_rate" name="points_rate" :placeholder="t('prod.rate_hint')" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.release_eligible')" :error="errors.release_eligible">
                <el-select v-model="form.release_eligible">
                  <el-option value="" :label="t('prod.by_zone')" />
                  <el-option value="true" :label="t('adm.yes')" />
                  <el-option value="false" :label="t('adm.no')" />
                </el-select>
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.ad_ratio')" :error="errors.ad_ratio">
                <el-input v-model="form.ad_ratio" name="ad_ratio" :placeholder="t('prod.rate_hint')" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.growth_ratio')" :error="errors.growth_ratio">
                <el-input v-model="form.growth_ratio" name="growth_ratio" :placeholder="t('prod.rate_hint')" />
              </el-form-item>
            </el-col>
            <el-col :xs="24" :sm="12">
              <el-form-item :label="t('prod.points_price')" :error="errors.points_price">
                <el-input v-model="form.points_price" name="points_price" inputmode="decimal" :placeholder="t('prod.mall_only')" />
              </el-form-item>
            </el-col>
          </el-row>
        </el-form>
        <template #footer>
          <el-button @click="dlg.open = false">{{ t('common.cancel') }}</el-button>
          <el-button type="primary" :loading="dlg.busy" class="adm-submit" @click="save">{{ t('common.save') }}</el-button>
        </template>
      </el-dialog>
    </div>`,
};
