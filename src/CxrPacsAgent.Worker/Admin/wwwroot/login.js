// The sign-in page: fetches an antiforgery token, posts the credentials, and goes to the admin page on success.
'use strict';

(async () => {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const tokenResponse = await fetch('/admin/antiforgery', { credentials: 'same-origin' });
  const { token } = await tokenResponse.json();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const response = await fetch('/admin/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': token },
      body: JSON.stringify({ user: form.user.value, password: form.password.value }),
    });
    if (response.ok) {
      window.location.assign('/admin/');
      return;
    }
    if (response.status === 401) {
      error.textContent = 'Wrong user name or password.';
    } else if (response.status === 429) {
      // Locked out after repeated failures (Admin:LockoutFailures): the server says for how long.
      const problem = await response.json().catch(() => ({}));
      // A no-break space keeps "19 s." together when the line wraps.
      error.textContent = `Too many failed sign-ins. ${(problem.detail ?? 'Try again later.').replace(/ (s|min)\.$/, '\u00a0$1.')}`;
    } else {
      // 503 while the agent's state database is out of reach: its detail says so.
      const problem = await response.json().catch(() => ({}));
      error.textContent = problem.detail ?? `Sign-in failed (HTTP ${response.status}).`;
    }
    error.hidden = false;
  });
})();
