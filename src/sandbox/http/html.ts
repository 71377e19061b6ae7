// Small HTML helpers: the sandbox's pages use no external assets, scripts or cookies. Their empty data: icon
// stops the browser asking for /favicon.ico (a 404 and a console error on every page).

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}ul{padding-left:1.2rem}li{margin:.2rem 0}
.meta{color:#555;font-size:.9em;overflow-wrap:anywhere}.error{border:2px solid #b00020;padding:.5rem 1rem}
form.inline{display:inline}fieldset{margin:.7rem 0}label{margin-right:.5rem}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #1a73e8}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}main:focus{outline:none}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><a class="skip" href="#main">Skip to content</a><main id="main" tabindex="-1">${body}</main></body></html>`;
}

/**
 * The exact page Express (and so Clever's API) answers for an unknown route. NOTE:
 * https://dev.clever.com/docs/error-messages.
 */
export function cannotGet(method: string, path: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot ${escapeHtml(method)} ${escapeHtml(path)}</pre>
</body>
</html>
`;
}

/** Query string from key/value pairs, skipping undefined values. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return q.toString();
}
