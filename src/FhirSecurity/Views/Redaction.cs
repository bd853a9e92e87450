namespace FhirSecurity;

/// <summary>What views show in place of a secret.</summary>
internal static class Redaction
{
    /// <summary>The mark; the same text as the engine's.</summary>
    public const string Mark = "********";
}
