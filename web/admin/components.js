// components.js — small components the admin pages share: the pager of a list read by
// next_cursor, a member link, a status tag, an amount.
import { label, memberPath, money, statusType } from './lib.js';

export const CursorPager = {
  name: 'CursorPager',
  props: { list: { type: Object, required: true } },
  template: `
    <div class="adm-pager">
      <el-button size="small" :disabled="list.state.page <= 1 || list.state.loading"
                 @click="list.prev()">{{ t('adm.prev') }}</el-button>
      <span class="adm-pager-page">{{ t('adm.page', { n: list.state.page }) }}</span>
      <el-button size="small" :disabled="!list.state.hasNext || list.state.loading"
                 @click="list.next()">{{ t('adm.next') }}</el-button>
    </div>`,
};

export const MemberLink = {
  name: 'MemberLink',
  props: { id: { type: [String, Number], default: '' } },
  setup() {
    return { memberPath };
  },
  template: `<a v-if="id" class="adm-link" :href="'#' + memberPath(id)">{{ id }}</a><span v-else>-</span>`,
};

export const StatusTag = {
  name: 'StatusTag',
  props: { status: { type: String, default: '' }, prefix: { type: String, default: 'status.' } },
  setup() {
    return { statusType };
  },
  template: `<el-tag :type="statusType(status)" size="small" disable-transitions>{{ t(prefix + status) }}</el-tag>`,
};

export const Amount = {
  name: 'Amount',
  props: { v: { type: [Number, String], default: null } },
  setup() {
    return { money };
  },
  template: `<span class="amount" :class="{ 'adm-neg': typeof v === 'number' && v < 0 }">{{ v === null || v === undefined ? '-' : money(v) }}</span>`,
};

export function registerComponents(app) {
  app.config.globalProperties.label = label;
  app.component('CursorPager', CursorPager);
  app.component('MemberLink', MemberLink);
  app.component('StatusTag', StatusTag);
  app.component('Amount', Amount);
}
