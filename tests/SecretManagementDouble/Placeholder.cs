namespace Microsoft.PowerShell.SecretManagement; internal static class Placeholder { }
