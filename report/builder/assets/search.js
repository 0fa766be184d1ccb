// The search page: read ?q=, ask the Pagefind index in ../pagefind/ (served with the site, no network) and
// list what matches, chapters first. Pages carry a Pagefind filter `kind` (chapter, appendix, or a page
// provider's kind, named on the results list's data-group-* attributes; the site's own pages carry none):
// chapters come first, then appendices and the site's pages, and a provider's pages are one result with a
// count, placed after the first few chapters and opened on request (at once when no chapter matches). Results are shown a step at a time behind a "Show more" button; the counts are
// announced through a status region.
const form = document.querySelector(".search-page-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");

const STEP = 10;           // results shown at first and added by each "Show more"
const GROUP_STEP = 20;     // a group's pages shown at a time once it is opened
const GROUP_FROM = 4;      // fewer of a group's pages than this are listed one by one, not grouped
const GROUP_AFTER = 3;     // the group (or those few pages) comes after this many chapters
const GROUP = { kind: list.dataset.groupKind || "", one: list.dataset.groupOne || "",
  noun: list.dataset.groupNoun || "", label: list.dataset.groupLabel || "" };
const LABELS = { chapter: "Chapter", appendix: "Appendix", page: "Page", [GROUP.kind]: GROUP.label };
let pagefind = null;
let current = 0;           // the latest search, so a slow answer to an older query is dropped

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({ baseUrl: new URL("..", import.meta.url).pathname });
  }
  return pagefind;
}

// Every match, by kind. A provider's pages are the one Pagefind filter (`kind`, one value: a filter with
// several values is written in a different order by each Pagefind run, and the site must build byte for
// byte the same); chapters and appendices say which they are in their metadata.
async function find(query) {
  const search = await engine();
  const all = await search.search(query);
  const found = { chapter: [], appendix: [], page: [], grouped: [] };
  if (GROUP.kind) found.grouped = (await search.search(query, { filters: { kind: GROUP.kind } })).results;
  const grouped = new Set(found.grouped.map((r) => r.id));
  const rest = all.results.filter((r) => !grouped.has(r.id));
  const data = await Promise.all(rest.map((r) => r.data()));
  rest.forEach((result, i) => {
    const kind = (data[i].meta || {}).kind;
    found[kind === "chapter" || kind === "appendix" ? kind : "page"].push(result);
  });
  return found;
}

// The ranked entries: each a single result, or the one group holding every page of the provider's kind.
function entries(found) {
  const one = (kind) => (result) => ({ kind, result });
  const ranked = [...found.chapter.map(one("chapter")), ...found.appendix.map(one("appendix")),
    ...found.page.map(one("page"))];
  const open = found.chapter.length === 0; // nothing above it: the group's pages are what was asked for
  const grouped = found.grouped.length >= GROUP_FROM ? [{ kind: "group", results: found.grouped, open }]
    : found.grouped.map(one(GROUP.kind));
  ranked.splice(Math.min(GROUP_AFTER, found.chapter.length), 0, ...grouped);
  return ranked;
}

function item(kind, data) {
  const li = document.createElement("li");
  const label = document.createElement("span");
  label.className = "search-kind";
  label.textContent = `${LABELS[kind]}: `;
  const link = document.createElement("a");
  link.className = "search-title";
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: page text, escaped, with <mark> around matches
  li.append(label, link, excerpt);
  const best = section(data);
  if (best) li.append(best);
  return li;
}

// A link to the section (heading) where the page matches most, when that is not the page's top.
function section(data) {
  const weight = (sub) => sub.weighted_locations.reduce((sum, w) => sum + w.balanced_score, 0);
  const subs = (data.sub_results || []).filter((sub) => sub.url.includes("#"));
  if (!subs.length) return null;
  const best = subs.reduce((a, b) => (weight(b) > weight(a) ? b : a));
  if (best.url.endsWith("#top") || best.title === (data.meta && data.meta.title)) return null;
  const p = document.createElement("p");
  p.className = "search-section";
  const link = document.createElement("a");
  link.href = best.url;
  link.textContent = best.title;
  p.append("Best match in section ", link);
  return p;
}

function group(results, query, open) {
  const li = document.createElement("li");
  li.className = "search-group";
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = `${results.length} ${GROUP.noun} mention “${query}”: show them`;
  const pages = document.createElement("ol");
  pages.className = "search-results";
  const button = document.createElement("button");
  button.type = "button";
  const control = document.createElement("p");
  control.hidden = true;
  control.append(button);
  details.append(summary, pages, control);
  li.append(details);
  const entries = results.map((result) => ({ kind: GROUP.kind, result }));
  const reveal = revealer(pages, entries, GROUP_STEP, button, query, GROUP.noun);
  details.addEventListener("toggle", () => {
    summary.textContent = `${results.length} ${GROUP.noun} mention “${query}”: ${details.open ? "hide" : "show"} them`;
    if (details.open && !pages.childElementCount) reveal(false);
  });
  details.open = open;
  return li;
}

async function render(entry, query) {
  if (entry.kind === "group") return group(entry.results, query, entry.open);
  return item(entry.kind, await entry.result.data());
}

// Shows `entries` in `target` `step` at a time; `button` shows the next step while any are left (it is
// hidden through its parent: the site's button style would override its own `hidden`).
function revealer(target, entries, step, button, query, noun, ticket = current) {
  let shown = 0;
  const reveal = async (focus) => {
    const next = entries.slice(shown, shown + step);
    shown += next.length;
    const items = await Promise.all(next.map((entry) => render(entry, query)));
    if (ticket !== current) return; // a newer search has replaced these results
    target.append(...items);
    const left = entries.length - shown;
    button.parentElement.hidden = left === 0;
    button.textContent = `Show ${Math.min(left, step)} more ${noun} (${left} not shown)`;
    if (focus && items.length) items[0].querySelector("a, summary").focus();
  };
  button.onclick = () => reveal(true);
  return reveal;
}

function counted(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(found, query) {
  const parts = [counted(found.chapter.length, "chapter", "chapters"),
    counted(found.appendix.length, "appendix", "appendices"),
    counted(found.page.length, "other page", "other pages"),
    counted(found.grouped.length, GROUP.one, GROUP.noun)].filter((p) => !p.startsWith("0 "));
  const last = parts.pop();
  return `Results that match “${query}”: ${parts.length ? `${parts.join(", ")} and ${last}` : last}.`;
}

async function run(query) {
  const ticket = ++current;
  list.replaceChildren();
  more.parentElement.hidden = true;
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "Searching…";
  try {
    const found = await find(query);
    if (ticket !== current) return;
    const ranked = entries(found);
    if (!ranked.length) { status.textContent = `No pages match “${query}”.`; return; }
    await revealer(list, ranked, STEP, more, query, "results", ticket)(false);
    status.textContent = summary(found, query);
  } catch (error) {
    status.textContent = "Search could not load its index. Serve the site over HTTP to use search.";
    console.warn("search failed:", error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial) run(initial);
