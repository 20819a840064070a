import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

/** Longest wait for the SMTP server at each step, so a stalled relay never piles up work. */
const TIMEOUT_MS = 15_000;

/**
 * `Mailer` over SMTP with nodemailer: `smtp://host:port` upgrades with STARTTLS when the server
 * offers it, `smtps://` speaks TLS from the start; credentials come from the URL. A small pool
 * keeps connections open between messages.
 */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(smtpUrl: string, from: string) {
    const url = new URL(smtpUrl);
    this.#from = from;
    this.#transport = nodemailer.createTransport({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 25,
      secure: url.protocol === 'smtps:',
      ...(url.username
        ? {
            auth: {
              user: decodeURIComponent(url.username),
              pass: decodeURIComponent(url.password),
            },
          }
        : {}),
      pool: true,
      maxConnections: 2,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

/** The sender address: IDP_EMAIL_FROM, else `no-reply@` the issuer's host. */
export function senderAddress(emailFrom: string | undefined, issuer: string): string {
  return emailFrom ?? `no-reply@${new URL(issuer).hostname}`;
}
