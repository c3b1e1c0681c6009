// i18n.js — the console's languages: Simplified Chinese by default, English by a switch kept
// in this browser. Each part of the console registers its own messages; t(key, vars) looks a
// key up in the current language, then in Chinese, then shows the key itself (so a missing
// message is visible, never blank).
import { ref } from '/assets/vendor/vue.esm-browser.prod.js';

export const LANGS = { 'zh-CN': '中文', en: 'English' };
const saved = localStorage.getItem('jifen.lang');
export const lang = ref(saved in LANGS ? saved : 'zh-CN');
const messages = { 'zh-CN': {}, en: {} };

export function setLang(l) {
  if (l in LANGS) {
    lang.value = l;
    localStorage.setItem('jifen.lang', l);
    document.documentElement.lang = l;
  }
}
document.documentElement.lang = lang.value;

// Adds messages: { 'zh-CN': { key: text }, en: { key: text } }.
export function registerMessages(m) {
  for (const l of Object.keys(messages)) {
    Object.assign(messages[l], m[l] || {});
  }
}

// The text of `key` with {name} placeholders filled from vars.
export function t(key, vars) {
  const s = messages[lang.value][key] ?? messages['zh-CN'][key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : '{' + k + '}')) : s;
}

registerMessages({
  'zh-CN': {
    'asset.cash': '零钱',
    'asset.points': '可用积分',
    'asset.locked': '待释放积分',
    'asset.contribution': '贡献值',
    'asset.redpacket': '红包',
    'asset.voucher': '消费金',
    'asset.ad_points': '广告积分',
    'asset.growth': '增值积分',
    'asset.token': '通证',
    'amount.invalid': '请输入金额，最多两位小数',
    'amount.too_precise': '最多两位小数',
    'amount.negative': '金额不能为负',
    'amount.zero': '金额必须大于 0',
    'amount.too_large': '金额过大',
    'error.network': '网络错误，请稍后再试',
    'common.save': '保存',
    'common.cancel': '取消',
    'common.confirm': '确定',
    'common.submit': '提交',
    'common.search': '搜索',
    'common.refresh': '刷新',
    'common.more': '加载更多',
    'common.none': '暂无数据',
    'common.logout': '退出登录',
    'common.login': '登录',
    'common.language': '语言',
    'common.ok': '操作成功',
  },
  en: {
    'asset.cash': 'Cash',
    'asset.points': 'Points',
    'asset.locked': 'Locked points',
    'asset.contribution': 'Contribution',
    'asset.redpacket': 'Red packet',
    'asset.voucher': 'Voucher',
    'asset.ad_points': 'Ad points',
    'asset.growth': 'Growth points',
    'asset.token': 'Tokens',
    'amount.invalid': 'Enter an amount with at most two decimals',
    'amount.too_precise': 'At most two decimals',
    'amount.negative': 'The amount cannot be negative',
    'amount.zero': 'The amount must be above 0',
    'amount.too_large': 'The amount is too large',
    'error.network': 'Network error, please try again',
    'common.save': 'Save',
    'common.cancel': 'Cancel',
    'common.confirm': 'OK',
    'common.submit': 'Submit',
    'common.search': 'Search',
    'common.refresh': 'Refresh',
    'common.more': 'Load more',
    'common.none': 'Nothing yet',
    'common.logout': 'Sign out',
    'common.login': 'Sign in',
    'common.language': 'Language',
    'common.ok': 'Done',
  },
});
