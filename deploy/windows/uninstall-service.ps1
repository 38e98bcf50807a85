<#
.SYNOPSIS
  Removes the Windows service "cxr-agent" and the program. Settings and data stay unless -Purge is given.
#>
param(
    [string]$InstallDir = "$env:ProgramFiles\CxrPacsAgent",
    [string]$ConfigDir = "$env:ProgramData\CxrPacsAgent",
    [switch]$Purge
)
$ErrorActionPreference = "Stop"
$name = "cxr-agent"
if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    Stop-Service -Name $name -ErrorAction SilentlyContinue
    sc.exe delete $name | Out-Null
}
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $InstallDir, "$InstallDir.previous"
if ($Purge) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $ConfigDir
    [Environment]::SetEnvironmentVariable("CXRAGENT_Storage__Root", $null, "Machine")
    Write-Host "Removed CxrPacsAgent with its settings and data."
} else {
    Write-Host "Removed CxrPacsAgent; kept $ConfigDir (use -Purge to remove it)."
}
