/** One e-mail: a plain-text body and an HTML body saying the same. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Sends e-mail. The server and the CLI depend on this port only; `SmtpMailer` implements it with
 * nodemailer, and a test may pass anything else that delivers (or records) messages.
 *
 * Contract: `send` resolves once the message was handed over (the SMTP server accepted it), and
 * rejects otherwise; `close` releases connections, after which nothing more is sent.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
