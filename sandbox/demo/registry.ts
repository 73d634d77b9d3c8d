/**
 * The demo portfolio: a small pharma and device company, deterministic. Suppliers and
 * sites are shared between products so that one supplier change reaches several
 * applications in two markets, which is the scenario the app exists for.
 */
import type { Registry } from '../../src/domain/model';
import { RegistrySchema } from '../../src/domain/model';

export const demoRegistry: Registry = RegistrySchema.parse({
  products: [
    { id: 'PRD-CARDIOLOL', name: 'Cardiolol 50 mg tablets', productClass: 'drug' },
    { id: 'PRD-GENCARDIO', name: 'Cardiolol generic 25 mg tablets', productClass: 'drug' },
    { id: 'PRD-IMMUNOMAB', name: 'Immunomab 100 mg/mL injection', productClass: 'biologic' },
    { id: 'PRD-GLUCOPEN', name: 'GlucoPen insulin pen injector', productClass: 'device' },
    { id: 'PRD-HIPSTEM', name: 'HipStem cementless femoral stem', productClass: 'device' },
    { id: 'PRD-CARDIOSENSE', name: 'CardioSense ECG patch', productClass: 'device' },
  ],
  sites: [
    { id: 'SITE-BASEL', name: 'Basel drug product plant', country: 'CH' },
    { id: 'SITE-CORK', name: 'Cork API synthesis plant', country: 'IE' },
    { id: 'SITE-RALEIGH', name: 'Raleigh biologics plant', country: 'US' },
    { id: 'SITE-PENANG', name: 'Penang device assembly', country: 'MY' },
    { id: 'SITE-LYON', name: 'Lyon secondary packaging', country: 'FR' },
  ],
  suppliers: [
    { id: 'SUP-POLYMERA', name: 'Polymera GmbH (polymer resins)' },
    { id: 'SUP-EXCIPIO', name: 'Excipio Ltd (excipients)' },
    { id: 'SUP-STERIVAC', name: 'SteriVac Inc (ethylene oxide sterilisation)' },
    { id: 'SUP-TITANEX', name: 'Titanex SA (titanium bar stock)' },
    { id: 'SUP-CELLCULT', name: 'CellCult Media (cell culture media)' },
  ],
  applications: [
    { id: 'APP-NDA-CARDIOLOL', productId: 'PRD-CARDIOLOL', market: 'US', type: 'NDA', number: 'NDA 214455', status: 'approved', siteIds: ['SITE-BASEL', 'SITE-CORK', 'SITE-LYON'], supplierIds: ['SUP-EXCIPIO', 'SUP-POLYMERA'] },
    { id: 'APP-MAA-CARDIOLOL', productId: 'PRD-CARDIOLOL', market: 'EU', type: 'MAA', number: 'EU/1/19/1402', status: 'approved', siteIds: ['SITE-BASEL', 'SITE-CORK', 'SITE-LYON'], supplierIds: ['SUP-EXCIPIO', 'SUP-POLYMERA'] },
    { id: 'APP-ANDA-GENCARDIO', productId: 'PRD-GENCARDIO', market: 'US', type: 'ANDA', number: 'ANDA 218032', status: 'approved', siteIds: ['SITE-BASEL'], supplierIds: ['SUP-EXCIPIO'] },
    { id: 'APP-BLA-IMMUNOMAB', productId: 'PRD-IMMUNOMAB', market: 'US', type: 'BLA', number: 'BLA 761290', status: 'approved', siteIds: ['SITE-RALEIGH'], supplierIds: ['SUP-CELLCULT', 'SUP-POLYMERA'] },
    { id: 'APP-MAA-IMMUNOMAB', productId: 'PRD-IMMUNOMAB', market: 'EU', type: 'MAA', number: 'EU/1/22/1655', status: 'approved', siteIds: ['SITE-RALEIGH'], supplierIds: ['SUP-CELLCULT', 'SUP-POLYMERA'] },
    { id: 'APP-510K-GLUCOPEN', productId: 'PRD-GLUCOPEN', market: 'US', type: '510K', number: 'K231187', status: 'approved', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-POLYMERA', 'SUP-STERIVAC'], lastClearanceDate: '2025-03-14' },
    { id: 'APP-CEMDR-GLUCOPEN', productId: 'PRD-GLUCOPEN', market: 'EU', type: 'CE-MDR', number: 'CE 2797-MDR-554210', status: 'approved', deviceClass: 'IIb', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-POLYMERA', 'SUP-STERIVAC'] },
    { id: 'APP-PMA-HIPSTEM', productId: 'PRD-HIPSTEM', market: 'US', type: 'PMA', number: 'P190024', status: 'approved', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-TITANEX', 'SUP-STERIVAC'] },
    { id: 'APP-CEMDR-HIPSTEM', productId: 'PRD-HIPSTEM', market: 'EU', type: 'CE-MDR', number: 'CE 0123-MDR-301877', status: 'approved', deviceClass: 'III', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-TITANEX', 'SUP-STERIVAC'] },
    { id: 'APP-DENOVO-CARDIOSENSE', productId: 'PRD-CARDIOSENSE', market: 'US', type: 'DE-NOVO', number: 'DEN220051', status: 'approved', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-POLYMERA'], lastClearanceDate: '2024-06-02' },
    { id: 'APP-CEMDD-CARDIOSENSE', productId: 'PRD-CARDIOSENSE', market: 'EU', type: 'CE-MDD', number: 'CE 0086-MDD-98213', status: 'approved', deviceClass: 'IIa', siteIds: ['SITE-PENANG'], supplierIds: ['SUP-POLYMERA'] },
  ],
});
