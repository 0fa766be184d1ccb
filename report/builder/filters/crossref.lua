-- Number chapters, sections and figures book-wide and resolve @fig-/@sec-/@tbl- references,
-- the way Quarto does, before citeproc sees them (pandoc would read them as citations).
-- HTML: numbers are written into headings and captions; references become links.
-- Typst: Typst numbers natively (see the template); references become Typst references.

local is_typst = FORMAT:match("typst") ~= nil
local labels = {}        -- id -> {kind=..., number=...}
local chapter, appendix_count, in_appendix = 0, 0, false
local section = {0, 0}
local figure_count, table_count = 0, 0
local chapter_numbered = true

local function letter(n) return string.char(64 + n) end

local function chapter_label()
  if in_appendix then return letter(appendix_count) end
  return tostring(chapter)
end

-- Figures and tables: "2.3" in a numbered chapter, plain "3" on an unnumbered page (Typst does the same).
local function item_number(count)
  if not chapter_numbered then return tostring(count) end
  return chapter_label() .. "." .. count
end

local function number_header(h)
  if h.level == 1 then
    chapter_numbered = not h.classes:includes("unnumbered")
    section = {0, 0}
    figure_count, table_count = 0, 0
    if h.classes:includes("appendix") then
      in_appendix = true
      appendix_count = appendix_count + 1
    elseif chapter_numbered then
      chapter = chapter + 1
    end
    if not chapter_numbered then return nil end
    return chapter_label(), "Chapter"
  end
  if not chapter_numbered or h.level > 3 or h.classes:includes("unnumbered") then return nil end
  if h.level == 2 then section = {section[1] + 1, 0} else section[2] = section[2] + 1 end
  local parts = {chapter_label(), tostring(section[1])}
  if h.level == 3 then table.insert(parts, tostring(section[2])) end
  return table.concat(parts, "."), (in_appendix and "Appendix" or "Section")
end

local function reference(cite)
  local links = {}
  for _, c in ipairs(cite.citations) do
    local target = labels[c.id]
    if not target then return nil end
    if is_typst then
      table.insert(links, pandoc.RawInline("typst", "@" .. c.id))
    else
      table.insert(links, pandoc.Link(target.kind .. "\u{a0}" .. target.number, "#" .. c.id,
        "", {class = "crossref"}))
    end
  end
  local out = {}
  for i, link in ipairs(links) do
    if i > 1 then table.insert(out, pandoc.Str(i == #links and " and " or ", ")) end
    table.insert(out, link)
  end
  return out
end

local function unknown_reference(cite)
  for _, c in ipairs(cite.citations) do
    if c.id:match("^fig%-") or c.id:match("^sec%-") or c.id:match("^tbl%-") then
      if not labels[c.id] then
        io.stderr:write("report: unresolved cross-reference @" .. c.id .. "\n")
        os.exit(3)
      end
    end
  end
end

function Pandoc(doc)
  -- Headers are numbered on a fresh walk so `number` attributes land on the returned document.
  local numbered = doc:walk({
    traverse = "topdown",
    Header = function(h)
      local number, kind = number_header(h)
      if not chapter_numbered and h.level > 1 and not h.classes:includes("unnumbered") then
        h.classes:insert("unnumbered")
      end
      if number then
        if h.level == 1 and in_appendix then kind = "Appendix" end
        if h.identifier ~= "" then labels[h.identifier] = {kind = kind, number = number} end
        if is_typst and h.level == 1 and in_appendix and appendix_count == 1 then
          return {pandoc.RawBlock("typst",
            '#state("appendix").update(true)\n#counter(heading).update(0)\n#set heading(numbering: "A.1")'), h}
        end
        if not is_typst then
          h.content:insert(1, pandoc.Space())
          h.content:insert(1, pandoc.Span({pandoc.Str(number)}, {class = "header-section-number"}))
        end
      end
      return h
    end,
    Figure = function(f)
      if f.identifier:match("^fig%-") then
        figure_count = figure_count + 1
        local number = item_number(figure_count)
        labels[f.identifier] = {kind = "Figure", number = number}
        f.attributes["number"] = number
        if not is_typst and #f.caption.long > 0 then
          -- "Figure 2.3  Title": the same heading the PDF prints above the chart (book.typ)
          f.caption.long[1].content:insert(1, pandoc.Space())
          f.caption.long[1].content:insert(1, pandoc.Span({pandoc.Str("Figure\u{a0}" .. number)},
            {class = "figure-number"}))
        end
      end
      return f
    end,
    Table = function(t)
      if t.identifier:match("^tbl%-") then
        table_count = table_count + 1
        labels[t.identifier] = {kind = "Table", number = item_number(table_count)}
        if not is_typst and #t.caption.long > 0 then
          t.caption.long[1].content:insert(1, pandoc.Str("Table\u{a0}" .. labels[t.identifier].number .. ": "))
        end
      end
      return t
    end,
  })
  return numbered:walk({
    Cite = function(cite)
      unknown_reference(cite)
      return reference(cite)
    end,
  })
end
