-- Charts, after citeproc: HTML gets a placeholder the site stage fills with the interactive chart;
-- Typst gets the static SVG with its alt text and source line (pandoc drops `fig-alt` otherwise), as a
-- float (top or bottom of a page) so a chart never leaves a hole; its heading goes above (book.typ).

local is_typst = FORMAT:match("typst") ~= nil

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

local function chart_image(figure)
  local found
  figure:walk({Image = function(img) if img.attributes["fig-alt"] then found = img end end})
  return found
end

local function typst_caption(figure)
  local blocks = pandoc.Blocks({})
  for _, b in ipairs(figure.caption.long) do blocks:insert(pandoc.Plain(b.content)) end
  return pandoc.write(pandoc.Pandoc(blocks), "typst"):gsub("%s+$", "")
end

function Figure(figure)
  local img = chart_image(figure)
  if not img then return nil end
  local id = figure.identifier
  if is_typst then
    local source = img.attributes["source"] or ""
    return pandoc.RawBlock("typst", string.format(
      "#figure(\n  block(width: 100%%)[#image(%s, width: 100%%, alt: %s)\n  #align(left, text(size: 8pt, fill: rgb(\"#3D3D3D\"))[%s])],\n  caption: [%s],\n  placement: auto,\n) <%s>",
      typst_string(img.src), typst_string(img.attributes["fig-alt"]),
      pandoc.write(pandoc.Pandoc({pandoc.Plain({pandoc.Str(source)})}), "typst"):gsub("%s+$", ""),
      typst_caption(figure), id))
  end
  local caption = pandoc.write(pandoc.Pandoc(figure.caption.long), "html")
  return pandoc.RawBlock("html", string.format(
    '<figure id="%s" class="report-figure">\n<!--report-chart:%s-->\n<figcaption>%s</figcaption>\n</figure>',
    id, id, caption))
end
