// Searchable selects: a <select data-choices-url="..."> asks the server for the records the
// user may see that match what he types (tom-select, served locally), never a list cut short.
document.querySelectorAll("select[data-choices-url]").forEach(function (select) {
  const url = select.dataset.choicesUrl;
  new TomSelect(select, {
    valueField: "value", labelField: "text", searchField: ["text"], maxOptions: 50,
    preload: "focus", loadThrottle: 250, plugins: ["clear_button"],
    load: function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) { callback(data.items); })
        .catch(function () { callback(); });
    },
  });
});
