// The few nodemailer declarations the e-mail example uses, so the examples type-check without installing it
// (an app has the real `nodemailer` and `@types/nodemailer`).
declare module 'nodemailer' {
  export interface SentMessageInfo {
    messageId: string;
    rejected: string[];
  }
  export interface Transporter {
    sendMail(message: {
      from: string;
      to: string;
      subject: string;
      text: string;
      html?: string;
      headers?: Record<string, string>;
    }): Promise<SentMessageInfo>;
    close(): void;
  }
  export function createTransport(
    url: string,
    defaults?: { pool?: boolean; maxConnections?: number },
  ): Transporter;
}
