import { html } from '../html.js';
import {
  consolePage,
  csrfField,
  type ConsoleFrame,
  type ConsoleSection,
} from './console-layout.js';

/**
 * A confirmation for a destructive action, working without JavaScript: a form whose checkbox
 * must be ticked (the browser asks for it, and the server checks it again).
 */
export function confirmPage(options: {
  frame: ConsoleFrame;
  section: ConsoleSection;
  title: string;
  message: string;
  action: string;
  checkbox: string;
  button: string;
  back: { href: string; text: string };
  error?: string;
}): string {
  const { frame, section, title, message, action, checkbox, button, back, error } = options;
  return consolePage({
    title,
    section,
    frame,
    body: html`${error ? html`<p class="alert" role="alert">${error}</p>` : ''}<p class="lead">${message}</p>
<form method="post" action="${action}">
${csrfField(frame)}
<label class="check"><input type="checkbox" name="confirm" value="yes" required>${checkbox}</label>
<div class="actions"><button type="submit" class="danger">${button}</button></div>
</form>
<p><a href="${back.href}">${back.text}</a></p>`,
  });
}
