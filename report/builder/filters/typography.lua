-- Typst reads an apostrophe after a digit as a prime ("2011-12′s"), a glyph the house font lacks:
-- write that apostrophe as a literal right single quote, which Typst prints as it stands.

function Str(s)
  if not FORMAT:match("typst") or not s.text:find("%d’") then return nil end
  local out, rest = {}, s.text
  while true do
    local at = rest:find("%d’")
    if not at then break end
    table.insert(out, pandoc.Str(rest:sub(1, at)))
    table.insert(out, pandoc.RawInline("typst", "’"))
    rest = rest:sub(at + 1 + #"’")
  end
  if rest ~= "" then table.insert(out, pandoc.Str(rest)) end
  return out
end
