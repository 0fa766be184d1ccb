-- Quarto callouts, `::: {.callout-note title="..."}` (or a first `## heading` as the title), as titled
-- boxes: Quarto's HTML structure and class names on the site, a `#callout(...)` box (book.typ) in Typst.
-- Runs before crossref.lua so a heading used as a title is not numbered as a section.

local is_typst = FORMAT:match("typst") ~= nil
local KINDS = {note = "Note", tip = "Tip", important = "Important", warning = "Warning", caution = "Caution"}
local APPEARANCES = {default = true, simple = true, minimal = true}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and KINDS[kind] then return kind end
  end
  return nil
end

-- The title as inlines: the `title` attribute (Markdown), else a leading heading (removed), else the kind.
local function take_title(div, kind)
  local attribute = div.attributes["title"]
  if attribute and attribute ~= "" then
    local parsed = pandoc.read(attribute, "markdown").blocks
    return parsed[1] and parsed[1].content or pandoc.Inlines({pandoc.Str(attribute)})
  end
  local first = div.content[1]
  if first and first.t == "Header" then
    div.content:remove(1)
    return first.content
  end
  return pandoc.Inlines({pandoc.Str(KINDS[kind])})
end

local function typst_inlines(inlines)
  return pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), "typst"):gsub("%s+$", "")
end

local function typst_callout(div, kind, title)
  local open = string.format('#callout(kind: "%s", title: [%s])[', kind, typst_inlines(title))
  local blocks = pandoc.Blocks({pandoc.RawBlock("typst", open)})
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function html_callout(div, kind, title)
  local appearance = div.attributes["appearance"] or "default"
  if not APPEARANCES[appearance] then appearance = "default" end
  local classes = {"callout", "callout-style-" .. appearance, "callout-" .. kind, "callout-titled"}
  for _, class in ipairs(div.classes) do
    if not class:match("^callout") then table.insert(classes, class) end
  end
  local header = pandoc.Div({
    pandoc.Div({pandoc.RawBlock("html", '<i class="callout-icon" aria-hidden="true"></i>')},
      {class = "callout-icon-container"}),
    pandoc.Div({pandoc.Plain(title)}, {class = "callout-title-container flex-fill"}),
  }, {class = "callout-header d-flex align-content-center"})
  local body = pandoc.Div(div.content, {class = "callout-body-container callout-body"})
  return pandoc.Div({header, body}, pandoc.Attr(div.identifier, classes))
end

function Div(div)
  local kind = callout_kind(div)
  if not kind then return nil end
  local title = take_title(div, kind)
  if is_typst then return typst_callout(div, kind, title) end
  return html_callout(div, kind, title)
end
