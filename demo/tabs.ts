/**
 * An accessible tab list (WAI-ARIA Authoring Practices, tabs with automatic activation):
 * one tab in the Tab order (roving tabindex); Left/Right move between tabs and show each,
 * Home/End jump to the first/last. The selected tab is kept in the URL hash, so a reload
 * or a link opens the same tab.
 */
export function setUpTabs(tablist: HTMLElement, onShow?: (panelId: string) => void): void {
  const tabs = [...tablist.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const panelOf = (tab: HTMLButtonElement) => document.getElementById(tab.getAttribute('aria-controls')!)!;

  const select = (chosen: HTMLButtonElement, focus: boolean) => {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      panelOf(tab).hidden = !selected;
    }
    if (focus) chosen.focus();
    const panel = panelOf(chosen);
    history.replaceState(null, '', `#${chosen.id.replace(/^tab-/, '')}`);
    onShow?.(panel.id);
  };

  tablist.addEventListener('click', (event) => {
    const tab = (event.target as Element).closest<HTMLButtonElement>('[role="tab"]');
    if (tab) select(tab, true);
  });
  tablist.addEventListener('keydown', (event) => {
    const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]!, true);
  });

  const fromHash = tabs.find((tab) => tab.id === `tab-${location.hash.slice(1)}`);
  if (fromHash) select(fromHash, false);
}
