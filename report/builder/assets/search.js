// The search page: read ?q=, ask the Pagefind index in ../pagefind/ (served with the site, no network),
// and list the chapters that match with an excerpt. Results are announced through a status region.
const form = document.querySelector(".search-page-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let pagefind = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({ baseUrl: new URL("..", import.meta.url).pathname });
  }
  return pagefind;
}

function item(result) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = result.url;
  link.textContent = (result.meta && result.meta.title) || result.url;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = result.excerpt; // Pagefind's excerpt: page text, escaped, with <mark> around matches
  li.append(link, excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "Searching…";
  try {
    const search = await (await engine()).search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    list.replaceChildren(...results.map(item));
    const n = search.results.length;
    status.textContent = n === 0 ? `No pages match “${query}”.`
      : `${n} page${n === 1 ? "" : "s"} match “${query}”${n > 20 ? "; showing the first 20" : ""}.`;
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
