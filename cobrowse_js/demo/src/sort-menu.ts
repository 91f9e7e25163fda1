// The catalogue's "Sort" menu. Like Headless UI's menus it opens on `pointerdown` (or the
// keyboard), not on `click`: a bare synthetic click leaves it shut, which is exactly what
// remote control must cope with.

export interface SortOption<T extends string> {
  readonly value: T;
  readonly label: string;
}

export function sortMenu<T extends string>(
  button: HTMLButtonElement,
  menu: HTMLElement,
  options: readonly SortOption<T>[],
  initial: T,
  onSelect: (value: T) => void,
): void {
  let current = initial;
  const items = options.map((option) => {
    const li = document.createElement("li");
    li.setAttribute("role", "menuitemradio");
    li.tabIndex = -1;
    li.dataset.sort = option.value;
    li.textContent = option.label;
    li.addEventListener("click", () => choose(option.value));
    return li;
  });
  menu.replaceChildren(...items);

  const label = button.querySelector<HTMLElement>("[data-sort-label]");

  function sync(): void {
    const option = options.find((o) => o.value === current);
    if (label && option) label.textContent = option.label;
    for (const item of items) item.setAttribute("aria-checked", String(item.dataset.sort === current));
  }

  function isOpen(): boolean {
    return !menu.hidden;
  }

  function open(focusItem: boolean): void {
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (focusItem) (items.find((i) => i.dataset.sort === current) ?? items[0])?.focus();
  }

  function close(returnFocus: boolean): void {
    if (!isOpen()) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (returnFocus) button.focus();
  }

  function choose(value: T): void {
    current = value;
    sync();
    close(true);
    onSelect(value);
  }

  button.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault(); // keep focus handling ours, as Headless UI does
    if (isOpen()) close(false);
    else open(false);
    button.focus();
  });
  button.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " " || e.key === "ArrowDown") {
      e.preventDefault();
      open(true);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      open(false);
      items[items.length - 1]?.focus();
    }
  });
  menu.addEventListener("keydown", (e) => {
    const index = items.indexOf(document.activeElement as HTMLLIElement);
    const focusAt = (i: number): void => items[(i + items.length) % items.length]?.focus();
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        focusAt(index + 1);
        break;
      case "ArrowUp":
        e.preventDefault();
        focusAt(index - 1);
        break;
      case "Home":
        e.preventDefault();
        focusAt(0);
        break;
      case "End":
        e.preventDefault();
        focusAt(items.length - 1);
        break;
      case "Enter":
      case " ": {
        e.preventDefault();
        const value = items[index]?.dataset.sort;
        const option = options.find((o) => o.value === value);
        if (option) choose(option.value);
        break;
      }
      case "Escape":
        e.preventDefault();
        close(true);
        break;
      case "Tab":
        close(false);
        break;
    }
  });
  document.addEventListener("pointerdown", (e) => {
    const target = e.target as Node | null;
    if (isOpen() && target && !menu.contains(target) && !button.contains(target)) close(false);
  });
  sync();
}
