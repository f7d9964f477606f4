// @mentions in a comment box: <textarea data-mention-url="..."> offers colleagues as one types
// "@name" (the server's list says who may not see the document); choosing one writes "@Name "
// and adds a hidden input "mentions" with the person's id (the server also reads @names typed
// without the list).
document.querySelectorAll("textarea[data-mention-url]").forEach(function (box) {
  const url = box.dataset.mentionUrl;
  const unseen = box.dataset.mentionUnseen || "";
  const menu = document.createElement("div");
  menu.className = "list-group position-absolute shadow-sm d-none";
  menu.style.zIndex = 1050;
  menu.style.minWidth = "14rem";
  menu.setAttribute("role", "listbox");
  menu.id = "mention-menu";
  box.insertAdjacentElement("afterend", menu);
  let items = [], active = 0, timer = null, asked = "";

  const typed = function () {
    const before = box.value.slice(0, box.selectionStart);
    const m = before.match(/(^|\s)@([^\s@]{0,30})$/);
    return m ? m[2] : null;
  };
  const close = function () { menu.classList.add("d-none"); menu.innerHTML = ""; items = []; };
  const show = function () {
    menu.innerHTML = "";
    items.forEach(function (item, index) {
      const option = document.createElement("button");
      option.type = "button";
      option.className = "list-group-item list-group-item-action py-1 small" + (index === active ? " active" : "");
      option.setAttribute("role", "option");
      option.dataset.userId = item.value;
      option.textContent = item.text + (item.username && item.username !== item.text ? " (" + item.username + ")" : "");
      if (!item.sees) {
        const note = document.createElement("span");
        note.className = "ms-1 fst-italic";
        note.textContent = "· " + unseen;
        option.appendChild(note);
      }
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
      menu.appendChild(option);
    });
    menu.classList.toggle("d-none", items.length === 0);
  };
  const choose = function (index) {
    const item = items[index];
    if (!item) { return; }
    const caret = box.selectionStart;
    const before = box.value.slice(0, caret).replace(/@([^\s@]{0,30})$/, "@" + item.text + " ");
    box.value = before + box.value.slice(caret);
    box.selectionStart = box.selectionEnd = before.length;
    if (!box.form.querySelector('input[name="mentions"][value="' + item.value + '"]')) {
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "mentions"; hidden.value = item.value;
      box.form.appendChild(hidden);
    }
    close();
    box.focus();
  };
  box.addEventListener("input", function () {
    const query = typed();
    if (query === null) { close(); return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) { if (asked === query) { items = data.items || []; active = 0; show(); } })
        .catch(close);
    }, 150);
  });
  box.addEventListener("keydown", function (event) {
    if (menu.classList.contains("d-none")) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      show();
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === "Tab") {
      choose(active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  box.addEventListener("blur", function () { setTimeout(close, 150); });
});
