// The page shown instead of a redirect when the redirect target itself cannot be trusted (spec, Get
// Authorization Code, ERRORS: a bad client_id or redirect_uri "will result in error response").
import { html, page } from "./markup.js";

export function errorPage(title: string, message: string, hint?: string): string {
  return page(
    title,
    html`<div class="card error">
  <h1>${title}</h1>
  <p>${message}</p>
  ${hint === undefined ? null : html`<p class="muted">${hint}</p>`}
  <p class="muted"><a href="/">Sandbox home</a></p>
</div>`,
  );
}
