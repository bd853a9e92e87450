using System.Management.Automation.Language;
using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests;

/// <summary>
/// The Pester suites in tests/Pester run in real pwsh (build.ps1 -Task Test); these checks guard their shape from
/// the xunit side: every script parses (the pwsh benchmarks in bench/pwsh too), the expected suites exist, and each
/// one sets up and tears down its vault and server and never skips (a missing prerequisite fails the suite instead).
/// </summary>
public sealed class PesterSuiteTests
{
    private static string SuiteFolder => Path.Combine(RepoPaths.Root, "tests", "Pester");

    public static TheoryData<string> Scripts
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "Pester"), "*.ps1").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            data.Add(Path.Combine("..", "..", "build.ps1"));
            data.Add(Path.Combine("..", "..", "build", "Invoke-PesterSuites.ps1"));
            // The pwsh benchmarks are never run by the tests (no timed tests); they must parse all the same.
            foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "bench", "pwsh"), "*.ps1").Order(StringComparer.Ordinal))
            {
                data.Add(Path.Combine("..", "..", "bench", "pwsh", Path.GetFileName(file)));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_without_errors(string file)
    {
        Parser.ParseFile(Path.GetFullPath(Path.Combine(SuiteFolder, file)), out _, out ParseError[] errors);

        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{file}:{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
    }

    [Fact]
    public void There_is_one_suite_per_cmdlet_family_and_per_console_concern()
    {
        Assert.Equal(
            [
                "FhirSecurity.BasicAuth.Tests.ps1", "FhirSecurity.Bulk.Tests.ps1", "FhirSecurity.CaBundle.Tests.ps1",
                "FhirSecurity.Connection.Tests.ps1",
                "FhirSecurity.OAuth.Tests.ps1", "FhirSecurity.Package.Tests.ps1", "FhirSecurity.Parallel.Tests.ps1",
                "FhirSecurity.Request.Tests.ps1", "FhirSecurity.Session.Tests.ps1", "FhirSecurity.Views.Tests.ps1",
            ],
            Directory.GetFiles(SuiteFolder, "*.Tests.ps1").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FhirSecurity.BasicAuth.Tests.ps1")]
    [InlineData("FhirSecurity.OAuth.Tests.ps1")]
    [InlineData("FhirSecurity.CaBundle.Tests.ps1")]
    [InlineData("FhirSecurity.Connection.Tests.ps1")]
    [InlineData("FhirSecurity.Request.Tests.ps1")]
    [InlineData("FhirSecurity.Package.Tests.ps1")]
    [InlineData("FhirSecurity.Parallel.Tests.ps1")]
    [InlineData("FhirSecurity.Session.Tests.ps1")]
    [InlineData("FhirSecurity.Views.Tests.ps1")]
    [InlineData("FhirSecurity.Bulk.Tests.ps1")]
    public void Suite_sets_up_tears_down_and_never_skips(string file)
    {
        ScriptBlockAst ast = Parser.ParseFile(Path.Combine(SuiteFolder, file), out _, out _);
        var commands = ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();
        string[] names = commands.Select(c => c.GetCommandName()).OfType<string>().ToArray();

        Assert.Contains("Start-FhirTestEnvironment", names);
        Assert.Contains("Stop-FhirTestEnvironment", names);
        Assert.Contains("AfterAll", names);
        var describes = commands.Where(c => c.GetCommandName() == "Describe").ToList();
        Assert.NotEmpty(describes);
        Assert.All(commands, c => Assert.DoesNotContain(c.CommandElements, e => e is CommandParameterAst { ParameterName: "Skip" }));
        Assert.DoesNotContain("Set-ItResult", names);
        Assert.All(describes, d => Assert.Contains(
            d.CommandElements.OfType<ScriptBlockExpressionAst>().Single().ScriptBlock.FindAll(a => a is CommandAst, true).Cast<CommandAst>(),
            c => c.GetCommandName() == "BeforeAll"));
    }

    [Fact]
    public void Helper_defines_what_the_suites_call()
    {
        ScriptBlockAst ast = Parser.ParseFile(Path.Combine(SuiteFolder, "TestEnvironment.ps1"), out _, out _);
        string[] functions = ast.FindAll(a => a is FunctionDefinitionAst, false).Cast<FunctionDefinitionAst>().Select(f => f.Name).ToArray();

        Assert.Superset(
            new HashSet<string>(["Assert-FhirTestPrerequisite", "Start-FhirTestEnvironment", "Stop-FhirTestEnvironment", "New-FhirTestSecureString"]),
            new HashSet<string>(functions));
    }
}
