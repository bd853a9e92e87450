using System.Text.RegularExpressions;

namespace FhirSecurity.HelpCompiler;

/// <summary>
/// Reads one cmdlet help file in platyPS's markdown layout (schema 2.0.0) and refuses anything that would make
/// incomplete or misleading help: missing sections, placeholders left by New-MarkdownHelp, parameters without
/// metadata, parameter sets the SYNTAX section does not name.
/// </summary>
internal static partial class CommandHelpReader
{
    public const string SchemaVersion = "2.0.0";

    private static readonly string[] s_requiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "RELATED LINKS"];
    private static readonly string[] s_knownSections = [.. s_requiredSections, "NOTES"];
    private static readonly string[] s_requiredYamlKeys = ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];
    private static readonly string[] s_knownYamlKeys = [.. s_requiredYamlKeys, "Accepted values"];

    /// <summary>Reads <paramref name="text"/>, the contents of the help file of <paramref name="commandName"/>.</summary>
    public static CommandHelp Read(string commandName, string text, string moduleName, string helpFileName)
    {
        (Dictionary<string, string>? front, IReadOnlyList<Line> lines) = Markdown.SplitFrontMatter(text);
        if (front is null)
        {
            throw new HelpFormatException(1, "the file must start with YAML front matter between two '---' lines");
        }

        Expect(front, "schema", SchemaVersion);
        Expect(front, "external help file", helpFileName);
        Expect(front, "Module Name", moduleName);
        if (!front.TryGetValue("online version", out string? online))
        {
            throw new HelpFormatException(1, "front matter needs 'online version:' (it may be empty)");
        }

        foreach (Line line in lines.Where(l => l.Text.Contains("{{", StringComparison.Ordinal) && !Markdown.IsFence(l.Text)))
        {
            throw new HelpFormatException(line.Number, "placeholder text ({{ ... }}) left in the file");
        }

        IReadOnlyList<Section> tops = Markdown.Sections(lines, 1, out IReadOnlyList<Line> before);
        if (before.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Text)) is { Number: > 0 } stray)
        {
            throw new HelpFormatException(stray.Number, $"text before '# {commandName}'");
        }

        if (tops.Count != 1 || !string.Equals(tops[0].Title, commandName, StringComparison.Ordinal))
        {
            throw new HelpFormatException(tops.FirstOrDefault()?.LineNumber ?? 1, $"the file needs exactly one level-1 heading, '# {commandName}' (the file name)");
        }

        Section top = tops[0];
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        foreach (Section section in top.Children)
        {
            if (!s_knownSections.Contains(section.Title, StringComparer.Ordinal))
            {
                throw new HelpFormatException(section.LineNumber, $"unknown section '## {section.Title}'; the sections are {string.Join(", ", s_knownSections.Select(s => "'## " + s + "'"))}");
            }

            if (!sections.TryAdd(section.Title, section))
            {
                throw new HelpFormatException(section.LineNumber, $"'## {section.Title}' appears twice");
            }
        }

        if (s_requiredSections.FirstOrDefault(s => !sections.ContainsKey(s)) is { } missing)
        {
            throw new HelpFormatException(top.LineNumber, $"'## {missing}' is missing");
        }

        string synopsis = string.Join(" ", Markdown.Paragraphs(Markdown.Blocks(sections["SYNOPSIS"].Body)));
        if (synopsis.Length == 0)
        {
            throw new HelpFormatException(sections["SYNOPSIS"].LineNumber, "'## SYNOPSIS' is empty");
        }

        IReadOnlyList<string> sets = ReadParameterSets(sections["SYNTAX"]);
        return new CommandHelp(
            commandName,
            string.IsNullOrEmpty(online) ? null : online,
            synopsis,
            Text(sections["DESCRIPTION"], required: true),
            sets,
            ReadExamples(sections["EXAMPLES"]),
            ReadParameters(sections["PARAMETERS"], sets),
            ReadTypes(sections["INPUTS"]),
            ReadTypes(sections["OUTPUTS"]),
            sections.TryGetValue("NOTES", out Section? notes) ? Text(notes, required: false) : [],
            ReadLinks(sections["RELATED LINKS"]));
    }

    private static void Expect(Dictionary<string, string> front, string key, string value)
    {
        if (!front.TryGetValue(key, out string? actual) || !string.Equals(actual, value, StringComparison.Ordinal))
        {
            throw new HelpFormatException(1, $"front matter needs '{key}: {value}'{(actual is null ? string.Empty : $" (found '{actual}')")}");
        }
    }

    private static IReadOnlyList<string> Text(Section section, bool required)
    {
        if (section.Children.Count > 0)
        {
            throw new HelpFormatException(section.Children[0].LineNumber, $"'## {section.Title}' takes text, not sub-headings");
        }

        IReadOnlyList<string> paragraphs = Markdown.Paragraphs(Markdown.Blocks(section.Body));
        if (required && paragraphs.Count == 0)
        {
            throw new HelpFormatException(section.LineNumber, $"'## {section.Title}' is empty");
        }

        return paragraphs;
    }

    private static IReadOnlyList<string> ReadParameterSets(Section syntax)
    {
        if (syntax.Children.Count == 0)
        {
            throw new HelpFormatException(syntax.LineNumber, "'## SYNTAX' needs a '### <ParameterSetName>' heading per parameter set (with ' (Default)' after the default one), each followed by a code block");
        }

        var sets = new List<string>();
        foreach (Section set in syntax.Children)
        {
            string name = set.Title.EndsWith(" (Default)", StringComparison.Ordinal) ? set.Title[..^" (Default)".Length].Trim() : set.Title;
            if (!ParameterSetName().IsMatch(name))
            {
                throw new HelpFormatException(set.LineNumber, $"'### {set.Title}' is not a parameter set name");
            }

            if (!Markdown.Blocks(set.Body).OfType<Fence>().Any())
            {
                throw new HelpFormatException(set.LineNumber, $"parameter set '{name}' needs its syntax in a code block");
            }

            if (sets.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(set.LineNumber, $"parameter set '{name}' appears twice");
            }

            sets.Add(name);
        }

        return sets;
    }

    private static IReadOnlyList<ExampleHelp> ReadExamples(Section section)
    {
        if (section.Children.Count == 0)
        {
            throw new HelpFormatException(section.LineNumber, "'## EXAMPLES' needs at least one '### Example 1: <what it shows>'");
        }

        var examples = new List<ExampleHelp>();
        foreach (Section example in section.Children)
        {
            if (!example.Title.StartsWith("Example ", StringComparison.Ordinal))
            {
                throw new HelpFormatException(example.LineNumber, $"an example heading starts with 'Example <n>' ('### Example 1: <what it shows>'), not '{example.Title}'");
            }

            IReadOnlyList<Block> blocks = Markdown.Blocks(example.Body);
            Fence[] code = blocks.OfType<Fence>().ToArray();
            if (code.Length == 0)
            {
                throw new HelpFormatException(example.LineNumber, $"'{example.Title}' has no code block");
            }

            examples.Add(new ExampleHelp(
                example.Title,
                string.Join("\n\n", code.Select(c => c.Code)),
                Markdown.Paragraphs(blocks.Where(b => b is not Fence).ToArray())));
        }

        return examples;
    }

    private static IReadOnlyList<ParameterHelp> ReadParameters(Section section, IReadOnlyList<string> sets)
    {
        var parameters = new List<ParameterHelp>();
        foreach (Section parameter in section.Children)
        {
            if (parameter.Title == "CommonParameters")
            {
                continue;
            }

            if (!parameter.Title.StartsWith('-') || !ParameterName().IsMatch(parameter.Title[1..]))
            {
                throw new HelpFormatException(parameter.LineNumber, $"a parameter heading is '### -<Name>' (or '### CommonParameters'), not '### {parameter.Title}'");
            }

            string name = parameter.Title[1..];
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(parameter.LineNumber, $"parameter '{name}' appears twice");
            }

            IReadOnlyList<Block> blocks = Markdown.Blocks(parameter.Body);
            Fence[] yaml = blocks.OfType<Fence>().Where(f => f.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase)).ToArray();
            if (yaml.Length == 0)
            {
                throw new HelpFormatException(parameter.LineNumber, $"parameter '{name}' needs a ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters)");
            }

            IReadOnlyList<string> description = Markdown.Paragraphs(blocks.Where(b => !yaml.Contains(b)).ToArray());
            if (description.Count == 0)
            {
                throw new HelpFormatException(parameter.LineNumber, $"parameter '{name}' has no description");
            }

            parameters.Add(new ParameterHelp(name, description, yaml.Select(y => ReadMetadata(y, sets)).ToArray()));
        }

        if (!section.Children.Any(c => c.Title == "CommonParameters"))
        {
            throw new HelpFormatException(section.LineNumber, "'## PARAMETERS' ends with '### CommonParameters'");
        }

        foreach (string set in sets.Where(s => parameters.All(p => p.In(s) is null)))
        {
            throw new HelpFormatException(section.LineNumber, $"no parameter is in parameter set '{set}'");
        }

        return parameters;
    }

    private static ParameterMetadata ReadMetadata(Fence yaml, IReadOnlyList<string> sets)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in yaml.Code.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            int colon = line.IndexOf(':');
            string key = colon > 0 ? line[..colon].Trim() : line.Trim();
            if (colon <= 0 || !s_knownYamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(yaml.LineNumber, $"unknown parameter metadata line '{line.Trim()}'");
            }

            if (!values.TryAdd(key, line[(colon + 1)..].Trim()))
            {
                throw new HelpFormatException(yaml.LineNumber, $"'{key}' appears twice");
            }
        }

        if (s_requiredYamlKeys.FirstOrDefault(k => !values.ContainsKey(k)) is { } missing)
        {
            throw new HelpFormatException(yaml.LineNumber, $"parameter metadata needs '{missing}:'");
        }

        string[] parameterSets = List(values["Parameter Sets"]);
        foreach (string set in parameterSets.Where(s => s != ParameterMetadata.AllSets && !sets.Contains(s, StringComparer.OrdinalIgnoreCase)))
        {
            throw new HelpFormatException(yaml.LineNumber, $"parameter set '{set}' is not in '## SYNTAX' (the sets there: {string.Join(", ", sets)}; or '(All)')");
        }

        if (parameterSets.Length == 0)
        {
            throw new HelpFormatException(yaml.LineNumber, "'Parameter Sets:' is empty; write '(All)' or set names");
        }

        string position = values["Position"];
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
        {
            throw new HelpFormatException(yaml.LineNumber, $"'Position: {position}' is neither a number nor 'Named'");
        }

        string pipeline = values["Accept pipeline input"];
        if (!PipelineInput().IsMatch(pipeline))
        {
            throw new HelpFormatException(yaml.LineNumber, $"'Accept pipeline input: {pipeline}' should be 'False', 'True (ByValue)', 'True (ByPropertyName)' or 'True (ByValue, ByPropertyName)'");
        }

        string aliases = values["Aliases"];
        return new ParameterMetadata(
            values["Type"].Length > 0 ? values["Type"] : throw new HelpFormatException(yaml.LineNumber, "'Type:' is empty"),
            parameterSets,
            aliases.Equals("None", StringComparison.OrdinalIgnoreCase) ? [] : List(aliases),
            values.TryGetValue("Accepted values", out string? accepted) ? List(accepted) : [],
            Boolean(values["Required"], "Required", yaml.LineNumber),
            position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            values["Default value"].Length > 0 ? values["Default value"] : "None",
            pipeline,
            Boolean(values["Accept wildcard characters"], "Accept wildcard characters", yaml.LineNumber));
    }

    private static IReadOnlyList<TypeHelp> ReadTypes(Section section)
    {
        if (section.Children.Count == 0)
        {
            throw new HelpFormatException(section.LineNumber, $"'## {section.Title}' needs a '### <Type>' per type ('### None' when there is none)");
        }

        return section.Children.Select(t => new TypeHelp(t.Title, Markdown.Paragraphs(Markdown.Blocks(t.Body)))).ToArray();
    }

    private static IReadOnlyList<LinkHelp> ReadLinks(Section section)
    {
        var links = new List<LinkHelp>();
        foreach (Line line in section.Body.Where(l => !string.IsNullOrWhiteSpace(l.Text)))
        {
            Match match = Link().Match(line.Text.Trim());
            if (!match.Success)
            {
                throw new HelpFormatException(line.Number, $"'## RELATED LINKS' holds one '[text](url)' per line (the url may be empty for another cmdlet), not '{line.Text.Trim()}'");
            }

            links.Add(new LinkHelp(match.Groups["text"].Value, match.Groups["uri"].Value));
        }

        if (links.Count == 0)
        {
            throw new HelpFormatException(section.LineNumber, "'## RELATED LINKS' is empty");
        }

        return links;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Boolean(string value, string key, int line)
        => bool.TryParse(value, out bool result) ? result : throw new HelpFormatException(line, $"'{key}: {value}' should be True or False");

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterSetName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName|ByValue, ByPropertyName)\))$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInput();

    [GeneratedRegex(@"^(- )?\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)$")]
    private static partial Regex Link();
}
