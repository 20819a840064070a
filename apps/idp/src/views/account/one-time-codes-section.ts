import { html } from '../html.js';
import { accountTexts, section, type SectionContext } from './account-view.js';

export interface OneTimeCodesSectionOptions {
  /** Whether the person's one-time codes are on (a confirmed factor). */
  readonly on: boolean;
  /** The settings page (routes/account/one-time-codes-paths.ts). */
  readonly settingsPath: string;
}

/**
 * Where one-time codes stand, with a link to their settings page: a plain link, since every
 * change there asks for a fresh sign-in first (i18n `account.oneTimeCodes`).
 */
export function oneTimeCodesSection(context: SectionContext, options: OneTimeCodesSectionOptions) {
  const t = accountTexts(context).oneTimeCodes;
  return {
    id: 'one-time-codes',
    title: t.sectionTitle,
    html: section(
      'one-time-codes',
      t.sectionTitle,
      html`<p class="section-lead">${t.sectionLead}</p>
<p>${options.on ? t.isOn : t.isOff}</p>
<p><a href="${options.settingsPath}">${options.on ? t.manage : t.setUp}</a></p>`,
    ),
  };
}
