namespace FhirSecurity.Core.Definitions;

/// <summary>The kinds of definition a vault holds. The names are part of the vault secret names.</summary>
public enum DefinitionKind
{
    /// <summary>A user name and password for HTTP Basic authentication.</summary>
    BasicAuth,

    /// <summary>An OAuth 2.0 client-credentials client.</summary>
    OAuth,

    /// <summary>PEM CA certificates trusted for a connection.</summary>
    CaBundle,

    /// <summary>A FHIR base URL with its authentication and TLS policy.</summary>
    Connection,
}

/// <summary>Words for a kind in messages.</summary>
public static class DefinitionKindText
{
    /// <summary>How a message names the kind, e.g. "Basic Auth definition".</summary>
    public static string Describe(this DefinitionKind kind) => kind switch
    {
        DefinitionKind.BasicAuth => "Basic Auth definition",
        DefinitionKind.OAuth => "OAuth definition",
        DefinitionKind.CaBundle => "CA bundle",
        DefinitionKind.Connection => "connection",
        _ => kind.ToString(),
    };

    /// <summary>The noun of the kind's cmdlets, e.g. FhirBasicAuth.</summary>
    public static string Noun(this DefinitionKind kind) => $"Fhir{kind}";

    /// <summary>The Get- cmdlet that lists this kind, for messages that tell the user what to run.</summary>
    public static string GetCommand(this DefinitionKind kind) => $"Get-{kind.Noun()}";

    /// <summary>The cmdlet that creates this kind.</summary>
    public static string NewCommand(this DefinitionKind kind)
        => kind == DefinitionKind.CaBundle ? "Import-FhirCaBundle" : $"New-{kind.Noun()}";
}
