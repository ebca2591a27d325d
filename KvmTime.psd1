@{
    RootModule             = 'KvmTime.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '5b0f3c1e-8a4d-4f7e-9a51-2f6c9d7e4b10'
    Author                 = 'KvmTime developers'
    CompanyName            = 'KvmTime'
    Copyright              = '(c) KvmTime developers. MIT License.'
    Description            = 'Inspect and fix time-keeping on KVM guests and hosts (Linux and Windows): clocksources, invariant TSC, C-state limits, guest time sync and clocksource events.'
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('KvmTime.Format.ps1xml')
    TypesToProcess         = @('KvmTime.Types.ps1xml')
    CmdletsToExport        = @(
        'Get-KvmClocksource'
        'Test-ConstantTsc'
        'New-KvmTimeSession'
        'Get-KvmTimeSession'
        'Remove-KvmTimeSession'
        'Sync-GuestTime'
        'Get-GuestTimeSync'
        'Get-ClocksourceEvent'
        'Get-KvmDomainClock'
        'Set-KvmDomainClock'
        'Set-GuestClocksource'
        'Get-KernelBootArgument'
        'Set-KernelCStateLimit'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('KVM', 'QEMU', 'libvirt', 'clocksource', 'TSC', 'NTP', 'chrony', 'timekeeping', 'Linux', 'Windows')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See README.md.'
        }
    }
}
