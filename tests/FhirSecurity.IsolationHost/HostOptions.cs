using System.Text.Json;

namespace FhirSecurity.IsolationHost;

/// <summary>
/// What the host connects to. From a JSON file (<c>--config file.json</c>, property names as below) and/or options
/// (<c>--base-url</c>, <c>--token-url</c>, <c>--ca-file</c>, <c>--client-id</c>, <c>--client-secret</c>,
/// <c>--patient-id</c>, <c>--search-name</c>, <c>--module</c>); options win. Prefer the file for the secret: a
/// command line is readable by other users of the machine.
/// </summary>
internal sealed record HostOptions
{
    public string? BaseUrl { get; init; }

    public string? TokenUrl { get; init; }

    public string? CaFile { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>
    /// A managed identity endpoint (App Service style, what IDENTITY_ENDPOINT names; config file only): with it, the
    /// Patient is read a second time over a managed identity definition, so Azure.Identity loads in the module's context.
    /// </summary>
    public string? IdentityEndpoint { get; init; }

    /// <summary>The endpoint's secret (IDENTITY_HEADER; config file only).</summary>
    public string? IdentityHeader { get; init; }

    /// <summary>The Patient to read.</summary>
    public string PatientId { get; init; } = "pat-0001";

    /// <summary>The name prefix to search patients by (with <c>-All</c>, over every page).</summary>
    public string SearchName { get; init; } = "Alice";

    /// <summary>The module manifest; default: out/FhirSecurity/FhirSecurity.psd1 of the repository above the host.</summary>
    public string? Module { get; init; }

    public const string Usage =
        "usage: dotnet FhirSecurity.IsolationHost.dll [--config host.json] [--base-url URL] [--token-url URL] " +
        "[--ca-file PEM] [--client-id ID] [--client-secret SECRET] [--patient-id ID] [--search-name NAME] [--module PSD1]";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the options; throws <see cref="ArgumentException"/> with what is wrong or missing.</summary>
    public static HostOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        HostOptions options = values.Remove("config", out string? config)
            ? JsonSerializer.Deserialize<HostOptions>(File.ReadAllText(config), s_json) ?? new HostOptions()
            : new HostOptions();
        foreach ((string name, string value) in values)
        {
            options = name.ToLowerInvariant() switch
            {
                "base-url" => options with { BaseUrl = value },
                "token-url" => options with { TokenUrl = value },
                "ca-file" => options with { CaFile = value },
                "client-id" => options with { ClientId = value },
                "client-secret" => options with { ClientSecret = value },
                "patient-id" => options with { PatientId = value },
                "search-name" => options with { SearchName = value },
                "module" => options with { Module = value },
                _ => throw new ArgumentException($"Unknown option '--{name}'."),
            };
        }

        string[] missing =
        [
            .. options.BaseUrl is null ? ["base-url"] : Array.Empty<string>(),
            .. options.TokenUrl is null ? ["token-url"] : Array.Empty<string>(),
            .. options.CaFile is null ? ["ca-file"] : Array.Empty<string>(),
            .. options.ClientId is null ? ["client-id"] : Array.Empty<string>(),
            .. options.ClientSecret is null ? ["client-secret"] : Array.Empty<string>(),
        ];
        return missing.Length == 0
            ? options
            : throw new ArgumentException("Missing: " + string.Join(", ", missing.Select(m => "--" + m)) + ".");
    }

    /// <summary>Shows no secret, so the options can be logged.</summary>
    public override string ToString()
        => $"{BaseUrl} (token {TokenUrl}, client {ClientId}, CA {CaFile}, identity endpoint {IdentityEndpoint})";
}
