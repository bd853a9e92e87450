using System.Xml.Linq;

namespace FhirSecurity.HelpCompiler;

/// <summary>
/// Writes cmdlet help as the MAML that PowerShell's Get-Help reads for binary modules
/// (&lt;module dll&gt;-Help.xml in a culture folder): helpItems/command:command with details, description, syntax
/// (one syntaxItem per parameter set), parameters, inputTypes, returnValues, alertSet (notes), examples and
/// relatedLinks.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace s_msh = "http://msh";
    private static readonly XNamespace s_maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace s_command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace s_dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace s_msHelp = "http://msdn.microsoft.com/mshelp";

    // Get-Help shows example titles as they are; PowerShell's own help frames them with dashes.
    private const string TitleFrame = "--------------------------";

    public static XDocument Write(IEnumerable<CommandHelp> commands)
        => new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                s_msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", s_maml),
                new XAttribute(XNamespace.Xmlns + "command", s_command),
                new XAttribute(XNamespace.Xmlns + "dev", s_dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", s_msHelp),
                commands.Select(Command)));

    private static XElement Command(CommandHelp help)
        => new(
            s_command + "command",
            new XElement(
                s_command + "details",
                new XElement(s_command + "name", help.Name),
                new XElement(s_command + "verb", help.Verb),
                new XElement(s_command + "noun", help.Noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(s_command + "syntax", help.ParameterSets.Select(set => SyntaxItem(help, set))),
            new XElement(s_command + "parameters", help.Parameters.Select(p => Parameter(p, p.Metadata[0], inSyntax: false))),
            new XElement(s_command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(s_command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(s_maml + "alertSet", new XElement(s_maml + "alert", Paras(help.Notes))),
            new XElement(s_command + "examples", help.Examples.Select(Example)),
            new XElement(s_command + "relatedLinks", Links(help)));

    private static XElement SyntaxItem(CommandHelp help, string set)
    {
        // Positional parameters first, in position order, then the rest in the order the file gives them: how
        // PowerShell itself prints syntax.
        var members = help.Parameters
            .Select((p, index) => (Parameter: p, Metadata: p.In(set), Index: index))
            .Where(m => m.Metadata is not null)
            .OrderBy(m => int.TryParse(m.Metadata!.Position, out int position) ? position : int.MaxValue)
            .ThenBy(m => m.Index);
        return new XElement(
            s_command + "syntaxItem",
            new XElement(s_maml + "name", help.Name),
            members.Select(m => Parameter(m.Parameter, m.Metadata!, inSyntax: true)));
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterMetadata metadata, bool inSyntax)
    {
        object? value;
        if (metadata.IsSwitch)
        {
            // Syntax shows a switch bare ([-Force]); the parameter list shows its type.
            value = inSyntax ? null : ParameterValue(metadata, required: false);
        }
        else if (inSyntax && metadata.AcceptedValues.Count > 0)
        {
            value = new XElement(
                s_command + "parameterValueGroup",
                metadata.AcceptedValues.Select(v => new XElement(
                    s_command + "parameterValue",
                    new XAttribute("required", "false"),
                    new XAttribute("variableLength", "false"),
                    v)));
        }
        else
        {
            value = ParameterValue(metadata, required: true);
        }

        return new XElement(
            s_command + "parameter",
            new XAttribute("required", Bool(metadata.Required)),
            new XAttribute("variableLength", Bool(metadata.IsArray)),
            new XAttribute("globbing", Bool(metadata.Globbing)),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position),
            new XAttribute("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases)),
            new XElement(s_maml + "name", parameter.Name),
            Description(parameter.Description),
            value,
            new XElement(s_dev + "type", new XElement(s_maml + "name", metadata.Type), new XElement(s_maml + "uri")),
            new XElement(s_dev + "defaultValue", metadata.DefaultValue));
    }

    private static XElement ParameterValue(ParameterMetadata metadata, bool required)
        => new(
            s_command + "parameterValue",
            new XAttribute("required", Bool(required)),
            new XAttribute("variableLength", Bool(metadata.IsArray)),
            metadata.Type);

    private static XElement TypeElement(string element, TypeHelp type)
        => new(
            s_command + element,
            new XElement(s_dev + "type", new XElement(s_maml + "name", type.Type), new XElement(s_maml + "uri")),
            Description(type.Description));

    private static XElement Example(ExampleHelp example)
        => new(
            s_command + "example",
            new XElement(s_maml + "title", $"{TitleFrame} {example.Title} {TitleFrame}"),
            new XElement(s_dev + "code", example.Code),
            new XElement(s_dev + "remarks", Paras(example.Remarks)));

    private static IEnumerable<XElement> Links(CommandHelp help)
    {
        // platyPS puts 'online version' first, where Get-Help -Online looks.
        if (help.OnlineVersion is { } online)
        {
            yield return Link("Online Version:", online);
        }

        foreach (LinkHelp link in help.Links)
        {
            yield return Link(link.Text, link.Uri);
        }
    }

    // A relative link ([Get-FhirConnection](Get-FhirConnection.md)) serves readers of the markdown; in MAML a
    // cmdlet or about topic is named by its link text alone, and only an absolute URL is something -Online can open.
    private static XElement Link(string text, string uri)
        => new(
            s_maml + "navigationLink",
            new XElement(s_maml + "linkText", text),
            new XElement(s_maml + "uri", Uri.TryCreate(uri, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https" ? uri : string.Empty));

    private static XElement Description(string text) => Description([text]);

    private static XElement Description(IReadOnlyList<string> paragraphs) => new(s_maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IReadOnlyList<string> paragraphs) => paragraphs.Select(p => new XElement(s_maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
