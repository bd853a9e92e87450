using System.Management.Automation;
using System.Text.RegularExpressions;
using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests.Help;

/// <summary>
/// Get-Help, through the hosted engine, on the built module: every exported cmdlet has full help compiled from
/// docs/help/&lt;cmdlet&gt;.md (synopsis, description, every parameter described, two examples, a related link), and
/// about_FhirSecurity is found.
/// </summary>
public sealed partial class HelpTests : HostedEngineTest
{
    /// <summary>CmdletsToExport of the root manifest, one theory row each.</summary>
    public static TheoryData<string> ExportedCmdlets() => new(ExportedCmdletNames());

    // Read as text: the theory's data is needed before any engine runs.
    private static string[] ExportedCmdletNames()
    {
        string manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "FhirSecurity.psd1"));
        Match list = CmdletsToExport().Match(manifest);
        Assert.True(list.Success, "CmdletsToExport not found in FhirSecurity.psd1");
        return Quoted().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void The_manifest_exports_the_22_cmdlets_the_theory_checks()
    {
        string[] exported = ExportedCmdletNames();
        string[] loaded = Run("(Get-Command -Module FhirSecurity).Name").Output.Select(o => (string)o.BaseObject).ToArray();

        Assert.Equal(22, exported.Length);
        Assert.Equal(loaded.Order(), exported.Order());
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void Every_exported_cmdlet_has_full_help(string cmdlet)
    {
        bool hasFile = File.Exists(Path.Combine(RepoPaths.Root, "docs", "help", cmdlet + ".md"));
        Assert.True(hasFile, $"docs/help/{cmdlet}.md is missing: every exported cmdlet needs a help file (see docs/help/README.md).");

        PSObject help = Assert.Single(RunOk("Get-Help -Name $cmdlet -Full", cmdlet));
        string synopsis = Text(help, "Synopsis");
        Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{cmdlet}: no synopsis");
        // Without a help file Get-Help makes one up: its synopsis is the syntax, and it has no description.
        Assert.DoesNotContain("<CommonParameters>", synopsis, StringComparison.Ordinal);
        Assert.False(synopsis.TrimStart().StartsWith(cmdlet + " ", StringComparison.OrdinalIgnoreCase), $"{cmdlet}: the synopsis is the generated syntax line");
        Assert.False(string.IsNullOrWhiteSpace(Paragraphs(help.Properties["description"]?.Value)), $"{cmdlet}: no description");

        // Every parameter of the cmdlet (common parameters aside; -WhatIf and -Confirm included) is described, and
        // the help describes no parameter the cmdlet does not have.
        string[] actual = RunOk(
                "(Get-Command -Name $cmdlet).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters }",
                cmdlet)
            .Select(o => (string)o.BaseObject).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        var described = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (PSObject parameter in Items(help, "parameters", "parameter"))
        {
            described[Text(parameter, "name")] = Paragraphs(parameter.Properties["description"]?.Value);
        }

        Assert.Equal(actual, described.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray());
        Assert.All(described, p => Assert.False(string.IsNullOrWhiteSpace(p.Value), $"{cmdlet}: -{p.Key} has no description"));

        PSObject[] examples = Items(help, "examples", "example");
        Assert.True(examples.Length >= 2, $"{cmdlet}: {examples.Length} example(s); at least two are needed");
        Assert.All(examples, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(Text(e, "code")), $"{cmdlet}: an example without code");
            Assert.Contains(cmdlet, Text(e, "code"), StringComparison.OrdinalIgnoreCase);
        });

        PSObject[] links = Items(help, "relatedLinks", "navigationLink");
        Assert.Contains(links, l => !string.IsNullOrWhiteSpace(Text(l, "linkText")) && !Text(l, "linkText").StartsWith("Online", StringComparison.Ordinal));
    }

    [Fact]
    public void About_FhirSecurity_is_found_and_covers_vaults_tokens_TLS_and_troubleshooting()
    {
        string topic = string.Join("\n", RunOk("Get-Help -Name about_FhirSecurity", null).Select(o => o.ToString()));

        Assert.Contains("about_FhirSecurity", topic, StringComparison.Ordinal);
        Assert.Contains("SHORT DESCRIPTION", topic, StringComparison.Ordinal);
        Assert.Contains("$env:FHIRSECURITY_VAULT", topic, StringComparison.Ordinal);
        Assert.Contains("$env:FHIRSECURITY_REVALIDATE_SEC", topic, StringComparison.Ordinal);
        Assert.Contains("Get-FhirTokenCache", topic, StringComparison.Ordinal);
        Assert.Contains("CustomBundle", topic, StringComparison.Ordinal);
        Assert.Contains("TlsValidationFailed", topic, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_id_the_about_topic_names_is_a_documented_error_id()
    {
        string about = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "help", "about_FhirSecurity.md"));
        string errors = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "errors.md"));
        string troubleshooting = about[about.IndexOf("# TROUBLESHOOTING NOTE", StringComparison.Ordinal)..];
        // Each bullet starts with the ids it is about: "- `IdOne`, `IdTwo`: what to do".
        string[] ids = troubleshooting.Split('\n')
            .Where(line => line.StartsWith("- `", StringComparison.Ordinal) && line.Contains("`:", StringComparison.Ordinal))
            .SelectMany(line => ErrorIdMention().Matches(line[..line.IndexOf("`:", StringComparison.Ordinal)] + "`").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToArray();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains("| `" + id + "` |", errors, StringComparison.Ordinal));
    }

    private PSObject[] RunOk(string script, string? cmdlet)
    {
        PsResult result = Run(script, new Dictionary<string, object?> { ["cmdlet"] = cmdlet });
        Assert.Empty(result.ErrorIds);
        return result.Output.ToArray();
    }

    private static PSObject[] Items(PSObject help, string container, string item)
        => help.Properties[container]?.Value is { } outer && PSObject.AsPSObject(outer).Properties[item]?.Value is { } inner
            ? LanguagePrimitives.GetEnumerable(inner) is { } many && inner is not string
                ? many.Cast<object>().Select(PSObject.AsPSObject).ToArray()
                : [PSObject.AsPSObject(inner)]
            : [];

    private static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString()?.Trim() ?? string.Empty;

    // MAML text arrives as objects with a Text property, one per paragraph.
    private static string Paragraphs(object? value)
        => value is null
            ? string.Empty
            : string.Join("\n", (LanguagePrimitives.GetEnumerable(value)?.Cast<object>() ?? [value])
                .Select(p => PSObject.AsPSObject(p).Properties["Text"]?.Value?.ToString() ?? p.ToString())).Trim();

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex CmdletsToExport();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+)`")]
    private static partial Regex ErrorIdMention();
}
