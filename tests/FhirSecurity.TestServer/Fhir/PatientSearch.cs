using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary><c>GET Patient?name=&amp;_count=</c>: a searchset Bundle with offset paging and absolute links on the caller's base.</summary>
internal static class PatientSearch
{
    // Our paging cursor. Clients must follow next links as given, never build them, so the name is ours to pick.
    private const string OffsetParameter = "_offset";

    public static async Task HandleAsync(HttpContext context, ServerState state, string baseUrl)
    {
        var query = context.Request.Query;
        if (!TryReadInt(query, "_count", state.Options.DefaultPageSize, out var count) || !TryReadInt(query, OffsetParameter, 0, out var offset))
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "invalid", "_count and _offset must be non-negative integers.");
            return;
        }

        count = Math.Min(count, state.Options.MaxPageSize);
        // Each name parameter must match (AND); commas inside one are alternatives (OR). String search: case-insensitive prefix.
        var nameGroups = query["name"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var (total, page) = state.Patients.Search(
            p => nameGroups.All(alternatives => alternatives.Any(a => p.NameParts.Any(part => part.StartsWith(a, StringComparison.OrdinalIgnoreCase)))),
            offset,
            count);

        var links = new JsonArray(Link("self", baseUrl, nameGroups, count, offset));
        if (offset + count < total && count > 0)
        {
            links.Add(Link("next", baseUrl, nameGroups, count, offset + count));
        }

        if (offset > 0 && count > 0)
        {
            links.Add(Link("previous", baseUrl, nameGroups, count, Math.Max(0, offset - count)));
        }

        var entries = new JsonArray();
        foreach (var patient in page)
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = baseUrl + "Patient/" + patient.Id,
                ["resource"] = JsonNode.Parse(patient.Json),
                ["search"] = new JsonObject { ["mode"] = "match" },
            });
        }

        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = Guid.NewGuid().ToString("N"),
            ["meta"] = new JsonObject { ["lastUpdated"] = state.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture) },
            ["type"] = "searchset",
            ["total"] = total,
            ["link"] = links,
            ["entry"] = entries,
        };
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, bundle);
    }

    private static bool TryReadInt(IQueryCollection query, string name, int fallback, out int value)
    {
        value = fallback;
        var raw = query[name].ToString();
        return raw.Length == 0 || (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    private static JsonObject Link(string relation, string baseUrl, List<string[]> nameGroups, int count, int offset)
    {
        var url = new StringBuilder(baseUrl).Append("Patient?");
        foreach (var group in nameGroups)
        {
            url.Append("name=").Append(Uri.EscapeDataString(string.Join(',', group))).Append('&');
        }

        url.Append(CultureInfo.InvariantCulture, $"_count={count}");
        if (offset > 0)
        {
            url.Append(CultureInfo.InvariantCulture, $"&{OffsetParameter}={offset}");
        }

        return new JsonObject { ["relation"] = relation, ["url"] = url.ToString() };
    }
}
