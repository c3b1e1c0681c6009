// icons.js — the few line icons of the member pages (no icon package is embedded): SVG drawn
// with the current text colour, shown by <m-icon name="home">.
const PATHS = {
  home: '<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 10v9.5h5v-6h3v6h5V10"/>',
  shop: '<path d="M5 8h14l-1.2 12H6.2z"/><path d="M9 8V6.5a3 3 0 0 1 6 0V8"/>',
  wallet: '<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18"/><circle cx="16.5" cy="14.5" r="1.2"/>',
  team: '<circle cx="9" cy="8.5" r="3"/><path d="M3.5 19a5.5 5.5 0 0 1 11 0"/><circle cx="17" cy="9.5" r="2.3"/><path d="M15.5 14.2A4.5 4.5 0 0 1 21 18.5"/>',
  me: '<circle cx="12" cy="8.5" r="3.5"/><path d="M5 20a7 7 0 0 1 14 0"/>',
  cart: '<path d="M3 4h2.5l2 11h10l2-8H7"/><circle cx="9" cy="19" r="1.3"/><circle cx="17" cy="19" r="1.3"/>',
  gift: '<rect x="4" y="9" width="16" height="11" rx="1"/><path d="M3 9h18M12 9v11"/><path d="M12 9c-1.5-4-5-4-5-1.8S10 9 12 9c2 0 5-.6 5-1.8S13.5 5 12 9"/>',
  orders: '<rect x="5" y="3.5" width="14" height="17" rx="2"/><path d="M8.5 8h7M8.5 12h7M8.5 16h4"/>',
  lots: '<path d="M4 19V9M10 19V5M16 19v-7M21 19H3"/>',
  ledger: '<path d="M6 4h12v16H6z"/><path d="M9 8h6M9 12h6M9 16h3"/>',
  exchange: '<path d="M4 8h13l-3-3M20 16H7l3 3"/>',
  transfer: '<path d="M4 12h15M14 7l5 5-5 5"/>',
  growth: '<path d="M4 17l5-5 4 3 7-8"/><path d="M15 7h5v5"/>',
  token: '<circle cx="12" cy="12" r="8"/><path d="M9 9.5h6M12 9.5V16"/>',
  withdraw: '<rect x="3" y="7" width="18" height="11" rx="2"/><path d="M12 10v5M9.5 12.5 12 15l2.5-2.5"/>',
  invite: '<circle cx="10" cy="8.5" r="3.5"/><path d="M3.5 20a6.5 6.5 0 0 1 11.5-4"/><path d="M18 14v6M15 17h6"/>',
  lock: '<rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
  globe: '<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17M12 3.5c2.5 2.5 2.5 14.5 0 17M12 3.5c-2.5 2.5-2.5 14.5 0 17"/>',
  logout: '<path d="M14 4h5v16h-5"/><path d="M10 8l-4 4 4 4M6 12h10"/>',
  right: '<path d="M9 5l7 7-7 7"/>',
  check: '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
  calendar: '<rect x="4" y="5" width="16" height="15" rx="2"/><path d="M4 10h16M8 3v4M16 3v4"/>',
  copy: '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3"/>',
  key: '<circle cx="8" cy="14" r="4"/><path d="M11 11l8-8M16 6l2 2"/>',
};

export const MIcon = {
  name: 'MIcon',
  props: { name: { type: String, required: true }, size: { type: [Number, String], default: 22 } },
  computed: {
    svg() {
      return '<svg viewBox="0 0 24 24" width="' + this.size + '" height="' + this.size +
        '" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" ' +
        'stroke-linejoin="round" aria-hidden="true">' + (PATHS[this.name] || '') + '</svg>';
    },
  },
  template: '<span class="m-icon" v-html="svg"></span>',
};
