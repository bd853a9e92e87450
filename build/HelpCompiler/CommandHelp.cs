namespace FhirSecurity.HelpCompiler;

/// <summary>One cmdlet's help, as read from its platyPS markdown file.</summary>
internal sealed record CommandHelp(
    string Name,
    string? OnlineVersion,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> Links)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>An example: its title, its code (every fence of it) and the text around the code.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A parameter: its description and one metadata block per distinct way it appears in parameter sets.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata)
{
    /// <summary>The metadata that applies in <paramref name="parameterSet"/>, or null when the parameter is not in it.</summary>
    public ParameterMetadata? In(string parameterSet)
        => Metadata.FirstOrDefault(m => m.ParameterSets.Contains(parameterSet, StringComparer.OrdinalIgnoreCase))
            ?? Metadata.FirstOrDefault(m => m.ParameterSets.Contains(ParameterMetadata.AllSets, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One ```yaml block under a parameter.</summary>
internal sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public const string AllSets = "(All)";

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool IsArray => Type.EndsWith("[]", StringComparison.Ordinal);
}

/// <summary>An input or output type and what it means.</summary>
internal sealed record TypeHelp(string Type, IReadOnlyList<string> Description);

/// <summary>A related link; <see cref="Uri"/> is empty for a link to another cmdlet's help.</summary>
internal sealed record LinkHelp(string Text, string Uri);
