// invite.js — the member's invite link (#/register?invite=CODE on this site) and its QR code.
import { ElMessage } from '/assets/vendor/element-plus.mjs';
import qrcode from '/assets/vendor/qrcode.mjs';
import { loadMe, session, t } from '../store.js';

export function inviteLink(code) {
  return location.origin + '/#/register?invite=' + encodeURIComponent(code);
}

// A data: URL of the QR code of `text` (a GIF drawn by qrcode-generator; img-src allows data:).
export function qrDataUrl(text, cell = 6) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createDataURL(cell, 2);
}

export const InvitePage = {
  template: `
  <div class="m-page m-narrow">
    <section class="m-card m-invite" data-test="invite">
      <div class="m-invite-head">
        <m-icon name="gift" :size="28" />
        <div>
          <h3>{{ t('invite.title') }}</h3>
          <p class="muted m-small">{{ t('invite.hint') }}</p>
        </div>
      </div>
      <div class="m-qr-box">
        <img v-if="qr" :src="qr" :alt="t('invite.qr_alt')" class="m-qr" data-test="qr" width="222" height="222" />
      </div>
      <div class="m-row"><span class="muted">{{ t('invite.code') }}</span><b class="m-mono m-code" data-test="invite-code">{{ code }}</b></div>
      <div class="m-link-box">
        <el-input :model-value="link" readonly data-test="invite-link" ref="linkInput" />
        <el-button type="primary" @click="copy" data-test="copy"><m-icon name="copy" :size="16" /> {{ t('invite.copy') }}</el-button>
      </div>
      <div class="m-mono m-small muted m-link-text" data-test="invite-link-text">{{ link }}</div>
      <ol class="m-steps-list muted m-small">
        <li>{{ t('invite.step1') }}</li>
        <li>{{ t('invite.step2') }}</li>
        <li>{{ t('invite.step3') }}</li>
      </ol>
    </section>
  </div>`,
  setup() {
    return { t };
  },
  computed: {
    code() {
      return session.me ? session.me.invite_code : '';
    },
    link() {
      return this.code ? inviteLink(this.code) : '';
    },
    qr() {
      return this.link ? qrDataUrl(this.link) : '';
    },
  },
  mounted() {
    loadMe().catch(() => {});
  },
  methods: {
    async copy() {
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(this.link);
        } else {
          const input = this.$el.querySelector('[data-test=invite-link] input');
          input.select();
          document.execCommand('copy');
        }
        ElMessage.success(t('invite.copied'));
      } catch (e) {
        ElMessage.warning(t('invite.copy_failed'));
      }
    },
  },
};
