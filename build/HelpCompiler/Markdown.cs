using System.Text;

namespace FhirSecurity.HelpCompiler;

/// <summary>One line of a markdown file, with its 1-based line number for error messages.</summary>
internal readonly record struct Line(int Number, string Text);

/// <summary>A heading and the lines below it up to the next heading of the same or a higher level.</summary>
internal sealed record Section(int Level, string Title, int LineNumber, IReadOnlyList<Line> Body, IReadOnlyList<Section> Children);

/// <summary>A block of section text: a paragraph, a list item, a table row run, or a fenced code block.</summary>
internal abstract record Block(int LineNumber);

/// <summary>Consecutive text lines, joined with spaces.</summary>
internal sealed record Paragraph(int LineNumber, string Text) : Block(LineNumber);

/// <summary>Lines kept as they are: list items and tables, whose line breaks matter.</summary>
internal sealed record Verbatim(int LineNumber, IReadOnlyList<string> Lines) : Block(LineNumber);

/// <summary>A fenced code block (```lang ... ```).</summary>
internal sealed record Fence(int LineNumber, string Language, string Code) : Block(LineNumber);

/// <summary>
/// The little markdown that help files need: front matter, ATX headings (outside code fences), paragraphs, lists,
/// tables and fenced code. Straightforward on purpose; platyPS's layout is regular enough not to need a full parser.
/// </summary>
internal static class Markdown
{
    /// <summary>Splits a file into its YAML front matter (key: value pairs, if any) and the lines after it.</summary>
    public static (Dictionary<string, string>? FrontMatter, IReadOnlyList<Line> Body) SplitFrontMatter(string text)
    {
        Line[] lines = text.Replace("\r\n", "\n").Split('\n').Select((t, i) => new Line(i + 1, t)).ToArray();
        if (lines.Length == 0 || lines[0].Text.Trim() != "---")
        {
            return (null, lines);
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].Text;
            if (line.Trim() == "---")
            {
                return (values, lines[(i + 1)..]);
            }

            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return (null, lines);
    }

    /// <summary>Groups lines into the sections of headings at <paramref name="level"/> and deeper.</summary>
    public static IReadOnlyList<Section> Sections(IReadOnlyList<Line> lines, int level, out IReadOnlyList<Line> preamble)
    {
        var sections = new List<Section>();
        var pre = new List<Line>();
        (int Level, string Title, int Number)? current = null;
        var body = new List<Line>();
        bool inFence = false;
        foreach (Line line in lines)
        {
            if (IsFence(line.Text))
            {
                inFence = !inFence;
            }

            if (!inFence && Heading(line.Text) is { } heading && heading.Level == level)
            {
                if (current is { } open)
                {
                    sections.Add(Close(open, body));
                }

                current = (heading.Level, heading.Title, line.Number);
                body = [];
                continue;
            }

            (current is null ? pre : body).Add(line);
        }

        if (current is { } last)
        {
            sections.Add(Close(last, body));
        }

        preamble = pre;
        return sections;
    }

    /// <summary>The blocks of a section body (its lines up to its first sub-heading are all it should have).</summary>
    public static IReadOnlyList<Block> Blocks(IReadOnlyList<Line> lines)
    {
        var blocks = new List<Block>();
        var text = new List<Line>();
        void FlushText()
        {
            if (text.Count == 0)
            {
                return;
            }

            bool verbatim = text.Any(l => IsListItem(l.Text) || l.Text.TrimStart().StartsWith('|'));
            blocks.Add(verbatim
                ? new Verbatim(text[0].Number, text.Select(l => l.Text.TrimEnd()).ToArray())
                : new Paragraph(text[0].Number, string.Join(" ", text.Select(l => l.Text.Trim()))));
            text.Clear();
        }

        for (int i = 0; i < lines.Count; i++)
        {
            Line line = lines[i];
            if (IsFence(line.Text))
            {
                FlushText();
                string language = line.Text.Trim().TrimStart('`').Trim();
                var code = new StringBuilder();
                int start = line.Number;
                bool closed = false;
                for (i++; i < lines.Count; i++)
                {
                    if (IsFence(lines[i].Text))
                    {
                        closed = true;
                        break;
                    }

                    code.Append(lines[i].Text.TrimEnd()).Append('\n');
                }

                if (!closed)
                {
                    throw new HelpFormatException(start, "code fence (```) is not closed");
                }

                blocks.Add(new Fence(start, language, code.ToString().TrimEnd('\n')));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                FlushText();
                continue;
            }

            text.Add(line);
        }

        FlushText();
        return blocks;
    }

    /// <summary>The text of a section's paragraphs and verbatim blocks, one string per block (code kept as-is).</summary>
    public static IReadOnlyList<string> Paragraphs(IReadOnlyList<Block> blocks)
        => blocks.Select(b => b switch
        {
            Paragraph p => p.Text,
            Verbatim v => string.Join("\n", v.Lines),
            Fence f => f.Code,
            _ => string.Empty,
        }).Where(t => t.Length > 0).ToArray();

    public static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

    private static bool IsListItem(string line)
    {
        string t = line.TrimStart();
        return t.StartsWith("- ", StringComparison.Ordinal) || t.StartsWith("* ", StringComparison.Ordinal)
            || (t.Length > 2 && char.IsAsciiDigit(t[0]) && t.IndexOf(". ", StringComparison.Ordinal) is > 0 and < 4);
    }

    private static (int Level, string Title)? Heading(string line)
    {
        int level = 0;
        while (level < line.Length && line[level] == '#')
        {
            level++;
        }

        return level is > 0 and <= 6 && line.Length > level && line[level] == ' ' ? (level, line[level..].Trim()) : null;
    }

    private static Section Close((int Level, string Title, int Number) heading, List<Line> body)
    {
        if (heading.Level >= 6)
        {
            return new Section(heading.Level, heading.Title, heading.Number, body, []);
        }

        IReadOnlyList<Section> children = Sections(body, heading.Level + 1, out IReadOnlyList<Line> own);
        return new Section(heading.Level, heading.Title, heading.Number, own, children);
    }
}

/// <summary>A help file that does not follow the layout; the message says where and what.</summary>
internal sealed class HelpFormatException(int lineNumber, string message) : Exception(message)
{
    public int LineNumber { get; } = lineNumber;
}
