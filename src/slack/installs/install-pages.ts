import { type CodedError, ErrorCode, type Installation } from '@slack/oauth';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

// The pages a person installing infoview sees (issue 16): /slack/install with its "Add to Slack" button, and the
// page /slack/oauth_redirect ends on. Plain HTML with no script and nothing from elsewhere.

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1d1c1d; line-height: 1.5; }
  h1 { font-size: 1.6rem; }
  a.button { display: inline-block; padding: 0.7rem 1.2rem; border-radius: 6px; background: #2c4a6b; color: #fff; text-decoration: none; font-weight: 600; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The install page: what infoview does, and the button to Slack's consent screen (`url` carries scopes and state). */
export function installPage(url: string): string {
  return page(
    'Add infoview to Slack',
    `<h1>Add infoview to your Slack workspace</h1>
<p>infoview walks people through informational interviews: the people they meet, scheduling, prep tips, a debrief
right after, thank-you notes and reporting back. What each person logs is private to them.</p>
<p><a class="button" id="add-to-slack" href="${escapeHtml(url)}">Add to Slack</a></p>
<p>Slack will show what infoview may do and ask you to allow it.</p>`,
  );
}

/** After a successful install: names the workspace (or organisation) and says how to start. */
export function successPage(installation: Installation): string {
  const where = installation.isEnterpriseInstall
    ? `your organisation ${installation.enterprise?.name ?? installation.enterprise?.id ?? ''}`
    : (installation.team?.name ?? installation.team?.id ?? 'your workspace');
  const team = installation.team?.id;
  const open = team ? `slack://open?team=${encodeURIComponent(team)}` : 'slack://open';
  return page(
    'infoview is installed',
    `<h1>infoview is installed in <span id="workspace">${escapeHtml(where)}</span></h1>
<p>Type <code>/infoview help</code> in Slack to start, or open infoview's Home tab.</p>
<p><a class="button" href="${escapeHtml(open)}">Open Slack</a></p>`,
  );
}

/** When an install did not happen: why, in words, and what to do. Nothing was installed. */
export function failurePage(error: CodedError): string {
  const reason =
    error.code === ErrorCode.AuthorizationError
      ? 'You chose not to allow infoview, so nothing was installed. You can start again whenever you like.'
      : error.code === ErrorCode.InvalidStateError || error.code === ErrorCode.MissingStateError
        ? 'This install link has expired or was already used (each one works once, for ten minutes, in the browser that opened it). Nothing was installed: start again.'
        : 'Slack did not complete the install, so nothing was installed. Please start again; if it keeps failing, tell whoever runs infoview.';
  return page(
    'infoview was not installed',
    `<h1>infoview was not installed</h1>
<p id="reason">${escapeHtml(reason)}</p>
<p><a class="button" href="${INSTALL_PATH}">Start again</a></p>`,
  );
}
