using System.Text.Json;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// What an export's error files say, as warnings: per file, the issues counted by severity and code, with the first
/// one's text as an example. The files stay on disk for the whole story.
/// </summary>
internal static class OperationOutcomeSummary
{
    /// <summary>One warning per file and kind of issue.</summary>
    public static IEnumerable<string> Warnings(IEnumerable<BulkFileResult> errorFiles)
    {
        foreach (BulkFileResult file in errorFiles.OrderBy(f => f.File.FileName, StringComparer.Ordinal))
        {
            var kinds = new Dictionary<(string Severity, string Code), (int Count, string Example)>();
            int unreadable = 0;
            foreach (string line in File.ReadLines(file.Path))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (!TryReadIssues(line, kinds))
                {
                    unreadable++;
                }
            }

            foreach (KeyValuePair<(string Severity, string Code), (int Count, string Example)> kind in kinds)
            {
                yield return $"The server reported {kind.Value.Count} {kind.Key.Severity} issue(s)"
                    + $" ({kind.Key.Code}) in {file.File.FileName}, e.g. \"{kind.Value.Example}\".";
            }

            if (unreadable > 0)
            {
                yield return $"{file.File.FileName} has {unreadable} line(s) that are no OperationOutcome.";
            }
        }
    }

    private static bool TryReadIssues(string line, Dictionary<(string, string), (int Count, string Example)> kinds)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("resourceType", out JsonElement type) || type.GetString() != "OperationOutcome"
                || !root.TryGetProperty("issue", out JsonElement issues) || issues.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (JsonElement issue in issues.EnumerateArray())
            {
                string severity = Text(issue, "severity") ?? "unknown";
                string code = Text(issue, "code") ?? "unknown";
                string example = Text(issue, "diagnostics")
                    ?? (issue.TryGetProperty("details", out JsonElement details) ? Text(details, "text") : null)
                    ?? code;
                kinds[(severity, code)] = kinds.TryGetValue((severity, code), out var seen)
                    ? (seen.Count + 1, seen.Example)
                    : (1, example.Length > 200 ? example[..200] + "…" : example);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
           && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
