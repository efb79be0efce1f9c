import type { RenderedEmail } from './email-templates.js';
import { escapeHtml } from './plain-text.js';

/** A titled list in a message (the digest's sections). */
export interface EmailSection {
  readonly title: string;
  readonly items: readonly string[];
  /** Shown when `items` is empty. */
  readonly empty: string;
  /** Shown below the items when the list was cut short. */
  readonly more?: string | null;
}

export interface EmailContent {
  readonly subject: string;
  readonly lead: string;
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections?: readonly EmailSection[];
  readonly link: { readonly href: string; readonly label: string };
  readonly footer: string;
}

const style = {
  body: 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;line-height:1.5;max-width:640px',
  label: 'padding:2px 16px 2px 0;color:#59636e;vertical-align:top;white-space:nowrap',
  value: 'padding:2px 0;vertical-align:top;white-space:pre-wrap',
  button:
    'display:inline-block;padding:8px 16px;background:#0969da;color:#ffffff;text-decoration:none;border-radius:6px',
  footer: 'color:#59636e;font-size:12px;margin-top:24px',
};

/**
 * The one layout of every Elevate e-mail, in plain text and HTML: a lead sentence, a facts table, optional
 * sections, a link to the portal page where the reader acts, and why they receive it. Every value is escaped
 * here, so templates pass plain text only.
 */
export function renderLayout(c: EmailContent): RenderedEmail {
  const facts = c.facts ?? [];
  const sections = c.sections ?? [];
  const width = Math.max(0, ...facts.map(([label]) => label.length)) + 2;
  const text = [
    c.lead,
    '',
    ...facts.map(([label, value]) =>
      `${`${label}:`.padEnd(width)}${value.replaceAll('\n', `\n${' '.repeat(width)}`)}`.trimEnd(),
    ),
    ...sections.flatMap((s) => [
      '',
      s.title,
      ...(s.items.length === 0 ? [`  ${s.empty}`] : s.items.map((i) => `  - ${i}`)),
      ...(s.more ? [`  ${s.more}`] : []),
    ]),
    '',
    `${c.link.label}: ${c.link.href}`,
    '',
    '-- ',
    c.footer,
    '',
  ].join('\n');

  const rows = facts
    .map(
      ([label, value]) =>
        `<tr><td style="${style.label}">${escapeHtml(label)}</td><td style="${style.value}">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const sectionHtml = sections
    .map((s) => {
      const items =
        s.items.length === 0
          ? `<p style="color:#59636e">${escapeHtml(s.empty)}</p>`
          : `<ul>${s.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
      const more = s.more ? `<p style="color:#59636e">${escapeHtml(s.more)}</p>` : '';
      return `<h3 style="margin:20px 0 4px">${escapeHtml(s.title)}</h3>${items}${more}`;
    })
    .join('');
  const html = [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(c.subject)}</title></head>`,
    `<body style="${style.body}">`,
    `<p>${escapeHtml(c.lead)}</p>`,
    rows ? `<table role="presentation" style="border-collapse:collapse">${rows}</table>` : '',
    sectionHtml,
    `<p style="margin-top:20px"><a href="${escapeHtml(c.link.href)}" style="${style.button}">${escapeHtml(c.link.label)}</a></p>`,
    `<p style="${style.footer}">${escapeHtml(c.footer)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: c.subject, text, html };
}
