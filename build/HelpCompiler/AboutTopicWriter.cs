using System.Text;

namespace FhirSecurity.HelpCompiler;

/// <summary>
/// Turns an about topic in platyPS's about layout (# about_Name, # SHORT DESCRIPTION, # LONG DESCRIPTION, further
/// level-1 sections such as # EXAMPLES, # TROUBLESHOOTING NOTE, # SEE ALSO, # KEYWORDS; ## and ### sub-topics) into
/// the plain text of about_Name.help.txt, the layout Get-Help reads: TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION,
/// headings at the margin, text indented and wrapped at 80 columns.
/// </summary>
internal static class AboutTopicWriter
{
    private const int Width = 80;
    private static readonly string[] s_requiredSections = ["SHORT DESCRIPTION", "LONG DESCRIPTION"];

    public static string Write(string topicName, string markdown)
    {
        (_, IReadOnlyList<Line> lines) = Markdown.SplitFrontMatter(markdown);
        foreach (Line line in lines.Where(l => l.Text.Contains("{{", StringComparison.Ordinal)))
        {
            throw new HelpFormatException(line.Number, "placeholder text ({{ ... }}) left in the file");
        }

        IReadOnlyList<Section> sections = Markdown.Sections(lines, 1, out IReadOnlyList<Line> before);
        if (before.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Text)) is { Number: > 0 } stray)
        {
            throw new HelpFormatException(stray.Number, $"text before '# {topicName}'");
        }

        if (sections.Count == 0 || !string.Equals(sections[0].Title, topicName, StringComparison.Ordinal))
        {
            throw new HelpFormatException(1, $"the topic starts with '# {topicName}' (the file name)");
        }

        foreach (string required in s_requiredSections)
        {
            Section? section = sections.FirstOrDefault(s => s.Title.Equals(required, StringComparison.OrdinalIgnoreCase));
            if (section is null || (Markdown.Blocks(section.Body).Count == 0 && section.Children.Count == 0))
            {
                throw new HelpFormatException(1, $"'# {required}' is missing or empty");
            }
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append("    ").Append(topicName).Append('\n');
        foreach (Section section in sections.Skip(1))
        {
            AppendSection(text, section, margin: 0);
        }

        return text.ToString();
    }

    private static void AppendSection(StringBuilder text, Section section, int margin)
    {
        if (!text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            text.Append('\n');
        }

        text.Append(' ', margin).Append(section.Level == 1 ? section.Title.ToUpperInvariant() : section.Title).Append('\n');
        foreach (Block block in Markdown.Blocks(section.Body))
        {
            switch (block)
            {
                case Paragraph p:
                    Wrap(text, p.Text, margin + 4, margin + 4);
                    break;
                case Verbatim v:
                    foreach (string line in JoinContinuations(v.Lines))
                    {
                        if (line.StartsWith('|'))
                        {
                            text.Append(' ', margin + 4).Append(line).Append('\n');
                        }
                        else
                        {
                            // List items hang: their wrapped lines align with the item's text.
                            Wrap(text, line, margin + 4, margin + 6, separate: false);
                        }
                    }

                    text.Append('\n');
                    break;
                case Fence f:
                    foreach (string line in f.Code.Split('\n'))
                    {
                        text.Append(' ', margin + 8).Append(line).Append('\n');
                    }

                    text.Append('\n');
                    break;
            }
        }

        foreach (Section child in section.Children)
        {
            AppendSection(text, child, margin: section.Level == 1 ? 0 : margin + 2);
        }
    }

    // A list item's continuation lines belong to the item: wrapping joins them again.
    private static IEnumerable<string> JoinContinuations(IReadOnlyList<string> lines)
    {
        string? item = null;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            bool starts = line.StartsWith('|') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)
                || (line.Length > 2 && char.IsAsciiDigit(line[0]) && line.IndexOf(". ", StringComparison.Ordinal) is > 0 and < 4);
            if (starts || item is null)
            {
                if (item is not null)
                {
                    yield return item;
                }

                item = line.StartsWith("* ", StringComparison.Ordinal) ? "- " + line[2..] : line;
            }
            else
            {
                item += " " + line;
            }
        }

        if (item is not null)
        {
            yield return item;
        }
    }

    private static void Wrap(StringBuilder text, string paragraph, int firstIndent, int indent, bool separate = true)
    {
        int column = firstIndent;
        text.Append(' ', firstIndent);
        bool lineStart = true;
        foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!lineStart && column + 1 + word.Length > Width)
            {
                text.Append('\n').Append(' ', indent);
                column = indent;
                lineStart = true;
            }

            if (!lineStart)
            {
                text.Append(' ');
                column++;
            }

            text.Append(word);
            column += word.Length;
            lineStart = false;
        }

        text.Append('\n');
        if (separate)
        {
            text.Append('\n');
        }
    }
}
