using System.Management.Automation;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>Reads, checks and writes the PEM a user gives to Import-FhirCaBundle or Set-FhirCaBundle.</summary>
internal static class CaBundleSource
{
    public const string PathSet = "Path";
    public const string PemSet = "Pem";

    /// <summary>
    /// The parsed bundle from a file (resolved like any PowerShell path) or from PEM text. Expired, non-CA and
    /// key-bearing bundles throw; certificates close to expiry come back as warnings.
    /// </summary>
    private static CaBundle Read(PSCmdlet cmdlet, string? path, string? pem)
    {
        if (path is null)
        {
            return CaBundle.Parse(pem ?? string.Empty, DateTimeOffset.UtcNow, "the -Pem text");
        }

        string file = UserFiles.Resolve(
            cmdlet,
            path,
            ErrorIds.CaBundleFileNotFound,
            $"The CA bundle file '{path}' was not found. Give the path of a PEM file (one file, no wildcards).");
        return CaBundle.Parse(File.ReadAllText(file), DateTimeOffset.UtcNow, $"'{file}'");
    }

    /// <summary>
    /// Reads the bundle the parameters give, then imports it (<paramref name="force"/> given) or replaces the
    /// certificates of <paramref name="name"/> (null) through the one write path, and shows what was written.
    /// </summary>
    public static void Write(CaBundleWriteCommand cmdlet, string name, bool? force)
    {
        CaBundle bundle = Read(cmdlet, cmdlet.ParameterSetName == PathSet ? cmdlet.Path : null, cmdlet.Pem);
        string? action = force is null ? $"Replace certificates with {bundle.Certificates.Count} certificate(s)" : null;
        if (cmdlet.WriteDefinition(name, new CaBundleEdit(bundle), force, cmdlet.PassThru, action) is not null)
        {
            Report(cmdlet, name, bundle);
        }
    }

    /// <summary>Shows each certificate and each warning, as the import's visible result.</summary>
    private static void Report(PSCmdlet cmdlet, string name, CaBundle bundle)
    {
        foreach (string warning in bundle.Warnings)
        {
            cmdlet.WriteWarning(warning);
        }

        foreach (CaCertificate certificate in bundle.Certificates)
        {
            // Host information: shown in the console like Write-Host, kept out of the output pipeline.
            var message = new HostInformationMessage
            {
                Message = $"CA bundle '{name}': {(certificate.IsRoot ? "root" : "intermediate")} "
                    + $"'{certificate.Subject}', SHA-256 {certificate.Sha256Fingerprint}, "
                    + $"expires {certificate.NotAfter:u}",
            };
            cmdlet.WriteInformation(message, ["PSHOST", "FhirSecurity"]);
        }
    }
}
