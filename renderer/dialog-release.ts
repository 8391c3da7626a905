// Fluent's modal dialogs hide the rest of the window from assistive technology (aria-hidden on #root) while
// open, and lift that shortly after the dialog has gone. A page that closes a dialog and at once replaces
// itself (Settings → New profile remounts every page) must wait for that, or the window stays hidden for good.

/** Calls `fn` once the window is no longer hidden behind a modal (at the latest after `maxMs`). */
export function afterModalReleased(fn: () => void, maxMs = 2000): void {
  const root = document.getElementById('root');
  const hidden = () => root?.getAttribute('aria-hidden') === 'true';
  // The dialog closes in this render; give its cleanup a turn before looking.
  setTimeout(() => {
    if (!root || !hidden()) return fn();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      fn();
    };
    const observer = new MutationObserver(() => !hidden() && finish());
    observer.observe(root, { attributes: true, attributeFilter: ['aria-hidden'] });
    const timer = setTimeout(finish, maxMs);
  }, 0);
}
