// Searchable selects: a <select data-choices-url="..."> asks the server for the records the
// user may see that match what he types (tom-select, served locally), never a list cut short.
// With data-choices-depends="opportunity_id ..." the current values of those inputs of the same
// form go along (?opportunity_id=12); changing one of them clears the choice and the options.
// window.erpChoices(root) does it for the selects inside `root` (a line row just added).
window.erpChoices = function (root) {
root.querySelectorAll("select[data-choices-url]").forEach(function (select) {
  if (select.tomselect) { return; }
  const url = select.dataset.choicesUrl;
  const depends = (select.dataset.choicesDepends || "").split(" ").filter(Boolean);
  const inputs = function (name) { return select.form ? Array.from(select.form.elements).filter(function (e) { return e.name === name; }) : []; };
  const dependencies = function () {
    return depends.map(function (name) {
      const input = inputs(name)[0];
      return "&" + encodeURIComponent(name) + "=" + encodeURIComponent(input ? input.value : "");
    }).join("");
  };
  let empty = "";  // the server's reason when nothing may be chosen (e.g. no approved registration yet)
  const tom = new TomSelect(select, {
    valueField: "value", labelField: "text", searchField: ["text"], maxOptions: 50,
    preload: "focus", loadThrottle: 250, plugins: ["clear_button"],
    load: function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query) + dependencies(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) { empty = data.empty || ""; callback(data.items); })
        .catch(function () { callback(); });
    },
    render: {
      no_results: function (data, escape) {
        return '<div class="no-results" data-empty>' + escape(empty || "—") + "</div>";
      },
    },
  });
  depends.forEach(function (name) {
    inputs(name).forEach(function (input) {
      input.addEventListener("change", function () {
        tom.clear();
        tom.clearOptions();
        tom.clearCache();
      });
    });
  });
});
};
window.erpChoices(document);
