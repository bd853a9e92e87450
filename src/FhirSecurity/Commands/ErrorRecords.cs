using System.Management.Automation;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Commands;

/// <summary>Engine failures as PowerShell error records.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(FhirSecurityException ex)
        => new(ex, ex.ErrorId, Enum.Parse<ErrorCategory>(ex.Category.ToString()), ex.Target);
}
