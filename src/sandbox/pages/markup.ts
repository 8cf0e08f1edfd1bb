// A tiny HTML template tag: every interpolated value is escaped unless it is already markup, so a
// user's name or a client's state can never become HTML. Plus the shared page shell and its CSS.
import { escapeHtml } from "../http.js";

export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

function render(value: Part): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\``: strings and numbers are escaped, nested `html` results and arrays are kept. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Markup(out);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f9;color:#1d2433}
header{background:#1b3a6b;color:#fff;padding:12px 24px;display:flex;gap:12px;align-items:baseline}
header strong{font-size:17px}header span{opacity:.8;font-size:13px}
header .badge{margin-left:auto;background:#f0b429;color:#1d2433;border-radius:4px;padding:1px 8px;font-weight:600;opacity:1}
main{max-width:760px;margin:24px auto;padding:0 16px}
.card{background:#fff;border:1px solid #dde3ec;border-radius:8px;padding:20px 24px;margin-bottom:16px}
h1{font-size:21px;margin:0 0 8px}h2{font-size:16px;margin:18px 0 8px}
p{margin:6px 0}.muted{color:#5b6578;font-size:13px}
label.choice{display:flex;gap:10px;align-items:flex-start;padding:8px 10px;border:1px solid #e3e8f0;border-radius:6px;margin:6px 0;cursor:pointer}
label.choice:hover{background:#f7f9fc}
label.choice input{margin-top:4px}
fieldset{border:1px solid #e3e8f0;border-radius:6px;padding:6px 12px 10px;margin:12px 0}
legend{font-weight:600;padding:0 4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:0 10px}
.grid label.choice{margin:4px 0;padding:6px 8px}
.buttons{display:flex;gap:10px;margin-top:18px}
button{font:inherit;border-radius:6px;padding:8px 18px;border:1px solid #1b3a6b;background:#1b3a6b;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b3a6b}
button:disabled{opacity:.5;cursor:not-allowed}
input[type=text],select{font:inherit;padding:5px 8px;border:1px solid #c8d0dc;border-radius:5px;min-width:240px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef1f5;vertical-align:top}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre,.token{background:#f6f8fa;border:1px solid #e3e8f0;border-radius:6px;padding:10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.error{border-color:#e0a2a2;background:#fff6f6}
.warn{color:#8a5300}
a{color:#1b4f9c}
`;

/** The page shell. Pages are server-rendered; no scripts at all. */
export function page(title: string, body: Markup): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · DigiLocker sandbox</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header><strong>DigiLocker</strong><span>Requester API v2.3</span><span class="badge">SANDBOX: test data only</span></header>
<main>
${body}
</main>
</body>
</html>
`.text;
}

/** Headers for every HTML page: no framing (the consent page must not be clickjacked), no caching of tokens. */
export const pageHeaders: Record<string, string> = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
};

/** Aadhaar as DigiLocker shows it: all but the last four digits masked. */
export function maskAadhaar(aadhaar: string): string {
  return `${"x".repeat(Math.max(0, aadhaar.length - 4))}${aadhaar.slice(-4)}`;
}
