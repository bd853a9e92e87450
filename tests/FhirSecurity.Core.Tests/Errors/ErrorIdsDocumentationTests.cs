using System.Reflection;
using System.Text.RegularExpressions;
using FhirSecurity.Core.Errors;
using Xunit;

namespace FhirSecurity.Core.Tests.Errors;

/// <summary>
/// docs/errors.md is the list users match their runbooks against: every id in <see cref="ErrorIds"/> has its row
/// there, and the page names no id the code does not have.
/// </summary>
public sealed partial class ErrorIdsDocumentationTests
{
    private static readonly string[] s_codeIds = typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void Every_error_id_has_a_row_in_docs_errors_md()
    {
        Assert.NotEmpty(s_codeIds);
        Assert.Empty(s_codeIds.Except(DocumentedIds()));
    }

    [Fact]
    public void Docs_errors_md_names_no_id_the_code_lacks()
    {
        Assert.Empty(DocumentedIds().Except(s_codeIds));
    }

    [Fact]
    public void Every_constant_is_its_own_name()
    {
        // Runbooks match on the id; a constant whose value drifted from its name would break them silently.
        foreach (FieldInfo field in typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            Assert.Equal(field.Name, field.GetRawConstantValue());
        }
    }

    /// <summary>The ids in the first column of the page's tables (a row may name several: `A`, `B`).</summary>
    private static IReadOnlyList<string> DocumentedIds()
    {
        string page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "errors.md"));
        return page.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => IdInCell().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FhirSecurity.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex IdInCell();
}
