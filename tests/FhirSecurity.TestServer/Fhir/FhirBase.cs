namespace FhirSecurity.TestServer;

/// <summary>The three FHIR bases: same data, different authentication.</summary>
internal enum FhirBaseKind
{
    Open,
    Basic,
    OAuth,
}

/// <summary>A FHIR base path and the authentication it asks for.</summary>
internal sealed record FhirBase(FhirBaseKind Kind, string Path)
{
    public static IReadOnlyList<FhirBase> All { get; } =
    [
        new(FhirBaseKind.Open, "/open/fhir/"),
        new(FhirBaseKind.Basic, "/basic/fhir/"),
        new(FhirBaseKind.OAuth, "/oauth/fhir/"),
    ];
}
