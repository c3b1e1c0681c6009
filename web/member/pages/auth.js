// auth.js — the pages before signing in: login, register (with the invite code of an invite
// link, #/register?invite=CODE), and the password reset by SMS code.
import { ElMessage } from '/assets/vendor/element-plus.mjs';
import { api, go, loadMe, qs, route, t, useForm } from '../store.js';

const PHONE_RE = /^(\+?86)?\s*1[3-9]\d(\s?\d){8}$/;

function checkPhone(form, phone) {
  if (!String(phone || '').trim()) {
    form.errors.phone = t('auth.phone_required');
    return false;
  }
  if (!PHONE_RE.test(String(phone).trim())) {
    form.errors.phone = t('err.phone_format');
    return false;
  }
  return true;
}

function checkPassword(form, field, pw) {
  if (String(pw || '').length < 8) {
    form.errors[field] = t('err.password_length');
    return false;
  }
  return true;
}

const Brand = {
  template: `
  <div class="m-auth-brand">
    <div class="m-logo">积</div>
    <div>
      <div class="m-auth-name">{{ t('app.name') }}</div>
      <div class="m-auth-tag">{{ t('app.tagline') }}</div>
    </div>
  </div>`,
  setup() {
    return { t };
  },
};

export const LoginPage = {
  components: { Brand },
  template: `
  <div class="m-auth">
    <brand />
    <el-card class="m-auth-card" shadow="never">
      <h2 class="m-auth-title">{{ t('login.title') }}</h2>
      <el-alert v-if="notice" :title="notice" type="success" show-icon :closable="false" class="m-gap" />
      <el-form label-position="top" @submit.prevent="submit" data-test="login-form">
        <el-form-item :label="t('field.phone')" :error="f.errors.phone">
          <el-input v-model="phone" name="phone" inputmode="tel" autocomplete="username"
                    maxlength="20" :placeholder="t('field.phone_ph')" clearable />
        </el-form-item>
        <el-form-item :label="t('field.password')" :error="f.errors.password">
          <el-input v-model="password" name="password" type="password" show-password
                    autocomplete="current-password" maxlength="128" />
        </el-form-item>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" size="large" data-test="login-submit">{{ t('common.login') }}</el-button>
      </el-form>
      <div class="m-auth-links">
        <a :href="'#/register' + (route.query.invite ? '?invite=' + route.query.invite : '')">{{ t('login.to_register') }}</a>
        <a :href="'#/reset' + (phone ? '?phone=' + encodeURIComponent(phone) : '')">{{ t('login.forgot') }}</a>
      </div>
    </el-card>
  </div>`,
  setup() {
    const f = useForm(['phone', 'password']);
    return { f, t, route };
  },
  data() {
    return { phone: route.query.phone || '', password: '' };
  },
  computed: {
    notice() {
      if (route.query.registered) {
        return t('login.registered');
      }
      if (route.query.reset) {
        return t('login.reset_done');
      }
      return '';
    },
  },
  methods: {
    async submit() {
      this.f.clear();
      let ok = checkPhone(this.f, this.phone);
      if (!this.password) {
        this.f.errors.password = t('auth.password_required');
        ok = false;
      }
      if (!ok) {
        return;
      }
      const res = await this.f.send('POST', '/auth/login',
                                    { phone: this.phone.trim(), password: this.password });
      if (!res) {
        return;
      }
      api.setToken(res.token);
      await loadMe();
      const next = route.query.next;
      go(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/home');
    },
  },
};

export const RegisterPage = {
  components: { Brand },
  template: `
  <div class="m-auth">
    <brand />
    <el-card class="m-auth-card" shadow="never">
      <h2 class="m-auth-title">{{ t('register.title') }}</h2>
      <div v-if="fromLink" class="m-invite-banner" data-test="invite-banner">
        <m-icon name="gift" />
        <span>{{ t('register.invited') }} <b class="m-mono" data-test="invite-shown">{{ fromLink }}</b></span>
      </div>
      <el-form label-position="top" @submit.prevent="submit" data-test="register-form">
        <el-form-item :label="t('field.phone')" :error="f.errors.phone">
          <el-input v-model="phone" name="phone" inputmode="tel" autocomplete="username"
                    maxlength="20" :placeholder="t('field.phone_ph')" clearable />
        </el-form-item>
        <el-form-item :label="t('field.password')" :error="f.errors.password">
          <el-input v-model="password" name="password" type="password" show-password
                    autocomplete="new-password" maxlength="128" :placeholder="t('field.password_ph')" />
        </el-form-item>
        <el-form-item :label="t('field.password2')" :error="f.errors.password2">
          <el-input v-model="password2" name="password2" type="password" show-password
                    autocomplete="new-password" maxlength="128" />
        </el-form-item>
        <el-form-item :label="t('field.invite_code')" :error="f.errors.invite_code">
          <el-input v-model="invite" name="invite_code" maxlength="64" :readonly="!!fromLink"
                    :placeholder="t('field.invite_ph')" clearable />
        </el-form-item>
        <div v-if="f.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" size="large" data-test="register-submit">{{ t('register.submit') }}</el-button>
      </el-form>
      <div class="m-auth-links">
        <a href="#/login">{{ t('register.to_login') }}</a>
      </div>
    </el-card>
  </div>`,
  setup() {
    // the API names the invite code "referrer" in its errors (src/service/members.c)
    const f = useForm(['phone', 'password', 'password2', 'invite_code'], { referrer: 'invite_code' });
    return { f, t };
  },
  data() {
    const code = (route.query.invite || '').trim();
    return { phone: '', password: '', password2: '', invite: code, fromLink: code };
  },
  methods: {
    async submit() {
      this.f.clear();
      let ok = checkPhone(this.f, this.phone);
      ok = checkPassword(this.f, 'password', this.password) && ok;
      if (this.password2 !== this.password) {
        this.f.errors.password2 = t('auth.password_mismatch');
        ok = false;
      }
      if (!ok) {
        return;
      }
      const body = { phone: this.phone.trim(), password: this.password };
      if (this.invite.trim()) {
        body.invite_code = this.invite.trim();
      }
      const res = await this.f.send('POST', '/auth/register', body);
      if (res) {
        ElMessage.success(t('register.done'));
        go('/login' + qs({ phone: res.phone, registered: 1 }));
      }
    },
  },
};

export const ResetPage = {
  components: { Brand },
  template: `
  <div class="m-auth">
    <brand />
    <el-card class="m-auth-card" shadow="never">
      <h2 class="m-auth-title">{{ t('reset.title') }}</h2>
      <p class="muted m-small">{{ t('reset.hint') }}</p>
      <el-form label-position="top" @submit.prevent="submit" data-test="reset-form">
        <el-form-item :label="t('field.phone')" :error="f.errors.phone">
          <el-input v-model="phone" name="phone" inputmode="tel" maxlength="20"
                    :placeholder="t('field.phone_ph')" clearable />
        </el-form-item>
        <el-form-item :label="t('field.code')" :error="f.errors.code">
          <div class="m-code-row">
            <el-input v-model="code" name="code" inputmode="numeric" maxlength="6"
                      autocomplete="one-time-code" :placeholder="t('field.code_ph')" />
            <el-button :disabled="wait > 0" :loading="s.state.busy" @click="sendCode" data-test="send-code">
              {{ wait > 0 ? t('reset.resend_in', { n: wait }) : (sent ? t('reset.resend') : t('reset.send')) }}
            </el-button>
          </div>
        </el-form-item>
        <el-alert v-if="sent" :title="t('reset.sent')" type="success" :closable="false" show-icon class="m-gap" data-test="code-sent" />
        <el-form-item :label="t('field.new_password')" :error="f.errors.new_password">
          <el-input v-model="password" name="new_password" type="password" show-password
                    autocomplete="new-password" maxlength="128" :placeholder="t('field.password_ph')" />
        </el-form-item>
        <el-form-item :label="t('field.password2')" :error="f.errors.password2">
          <el-input v-model="password2" name="password2" type="password" show-password
                    autocomplete="new-password" maxlength="128" />
        </el-form-item>
        <div v-if="f.state.general || s.state.general" class="field-error m-form-error" data-test="form-error">{{ f.state.general || s.state.general }}</div>
        <el-button type="primary" native-type="submit" :loading="f.state.busy" class="m-block" size="large" data-test="reset-submit">{{ t('reset.submit') }}</el-button>
      </el-form>
      <div class="m-auth-links">
        <a href="#/login">{{ t('register.to_login') }}</a>
      </div>
    </el-card>
  </div>`,
  setup() {
    const f = useForm(['phone', 'code', 'new_password', 'password2']);
    const s = useForm(['phone']);
    return { f, s, t };
  },
  data() {
    return { phone: route.query.phone || '', code: '', password: '', password2: '', sent: false,
             wait: 0, timer: null };
  },
  beforeUnmount() {
    clearInterval(this.timer);
  },
  methods: {
    async sendCode() {
      this.f.clear();
      this.s.clear();
      if (!checkPhone(this.f, this.phone)) {
        return;
      }
      const res = await this.s.send('POST', '/auth/sms-code',
                                    { phone: this.phone.trim(), purpose: 'reset_password' });
      if (this.s.errors.phone) {
        this.f.errors.phone = this.s.errors.phone;
      }
      if (res) {
        this.sent = true;
        this.wait = 60;
        clearInterval(this.timer);
        this.timer = setInterval(() => {
          this.wait -= 1;
          if (this.wait <= 0) {
            clearInterval(this.timer);
          }
        }, 1000);
      }
    },
    async submit() {
      this.f.clear();
      let ok = checkPhone(this.f, this.phone);
      if (!/^\d{6}$/.test(this.code.trim())) {
        this.f.errors.code = t('auth.code_format');
        ok = false;
      }
      ok = checkPassword(this.f, 'new_password', this.password) && ok;
      if (this.password2 !== this.password) {
        this.f.errors.password2 = t('auth.password_mismatch');
        ok = false;
      }
      if (!ok) {
        return;
      }
      const res = await this.f.send('POST', '/auth/reset-password', {
        phone: this.phone.trim(), code: this.code.trim(), new_password: this.password });
      if (res) {
        // the reset signs every session out, this one too
        api.setToken(null);
        ElMessage.success(t('reset.done'));
        go('/login' + qs({ phone: this.phone.trim(), reset: 1 }));
      }
    },
  },
};
