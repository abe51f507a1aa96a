/* kerncijfers verkenner: every published figure, to explore offline.

   The figures are embedded in the page (script#verkenner-gegevens, written by
   pipelines/publish/report/verkenner.py); nothing is fetched. A number is formatted as the
   report formats it (pipelines/publish/report/formatting.py; the tests compare both). The
   selection lives in the address after '#', so that a link reopens the same view. */
(function () {
  'use strict';

  const D = JSON.parse(document.getElementById('verkenner-gegevens').textContent);
  const $ = (id) => document.getElementById(id);

  // -- Dutch number formatting, as the report ----------------------------------------------
  const MINUS = '\u2212';
  const GEEN_GEGEVENS = '\u2013';
  const GEHEIM = '.';
  const VOORLOPIG = '*';

  // Round half away from zero from the shortest text of the number (as Python's
  // Decimal(repr(x)) does): [negative, whole digits, decimals].
  function afronden(x, plaatsen) {
    let tekst = Math.abs(x).toString();
    if (tekst.includes('e')) tekst = Math.abs(x).toFixed(plaatsen + 1);
    const [heel, deel = ''] = tekst.split('.');
    const aangevuld = deel.padEnd(plaatsen + 1, '0');
    let n = BigInt(heel + aangevuld.slice(0, plaatsen));
    if (aangevuld[plaatsen] >= '5') n += 1n;
    const cijfers = n.toString().padStart(plaatsen + 1, '0');
    return [
      x < 0 && n !== 0n,
      cijfers.slice(0, cijfers.length - plaatsen),
      plaatsen ? cijfers.slice(cijfers.length - plaatsen) : '',
    ];
  }

  function groepen(heel) {
    return heel.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  }

  function getal(x, plaatsen = 0) {
    if (x === null || x === undefined) return GEEN_GEGEVENS;
    if (Number.isNaN(x)) return GEHEIM;
    const [negatief, heel, deel] = afronden(x, plaatsen);
    return (negatief ? '-' : '') + groepen(heel) + (plaatsen ? ',' + deel : '');
  }

  function euro(x) {
    if (x === null || x === undefined) return GEEN_GEGEVENS;
    if (Number.isNaN(x)) return GEHEIM;
    const [negatief, heel] = afronden(x, 0);
    return (negatief ? MINUS + '€ ' : '€ ') + groepen(heel);
  }

  function aandeel(x) {
    if (x === null || x === undefined) return GEEN_GEGEVENS;
    if (Number.isNaN(x)) return GEHEIM;
    return getal(x) + '%';
  }

  function verschil(x, plaatsen = 0) {
    if (x === null || x === undefined) return GEEN_GEGEVENS;
    if (Number.isNaN(x)) return GEHEIM;
    const [negatief, heel, deel] = afronden(x, plaatsen);
    const nul = /^0*$/.test(heel + deel);
    return (nul ? '' : negatief ? MINUS : '+') + groepen(heel) + (plaatsen ? ',' + deel : '');
  }

  function korteDatum(iso) {
    return iso ? iso.split('-').reverse().join('-') : 'onbekende datum';
  }

  // -- the catalogue, indexed ---------------------------------------------------------------
  const DIMENSIES = ['categorie', 'leeftijdsklasse', 'duurklasse'];
  const DIMENSIE_KOP = {
    categorie: 'Uitsplitsing',
    leeftijdsklasse: 'Leeftijd',
    duurklasse: 'Duur',
  };
  const TIJDSOORT = {
    peildatum: 'Peildata',
    tertiaal: 'Per tertiaal',
    jaar: 'Per jaar',
    periode: 'Andere perioden',
  };
  const KLEUREN = [
    '#154273', '#b34700', '#2e7d32', '#8e24aa', '#007bc7',
    '#a0153e', '#5d4037', '#546e7a', '#00796b', '#6a4c93',
  ];
  const STREPEN = ['', '6 3', '2 3', '8 3 2 3'];
  const MAX_REEKSEN = KLEUREN.length;

  const indicatoren = new Map(D.indicatoren.map((ind) => [ind.id, ind]));
  const domeinTitel = new Map(D.domeinen);
  const gemeenteNaam = new Map(D.gemeenten);
  const gemeenteVolgorde = new Map(D.gemeenten.map(([code], i) => [code, i]));
  const tijdSleutel = (t) => (t[0] ? t[0] + '_' + t[1] : t[1]);
  const tijdIndex = new Map(D.tijden.map((t, i) => [tijdSleutel(t), i]));

  function klasseLabels(ind, dimensie) {
    if (dimensie === 'categorie') return new Map(ind.categorieen.map((c) => [c[0], c[1]]));
    return new Map(D.klassen[dimensie]);
  }

  // The rows of an indicator by cell, the values each dimension takes (in the catalogue's
  // order), and the municipalities, dates and kinds of time it has figures for.
  function bereid(ind) {
    if (ind.index) return ind;
    const cellen = new Map();
    const waarden = { categorie: new Set(), leeftijdsklasse: new Set(), duurklasse: new Set() };
    const gemeenten = new Set();
    const tijden = new Set();
    for (const rij of ind.rijen) {
      cellen.set(rij.slice(0, 5).join('|'), rij);
      gemeenten.add(D.gemeenten[rij[0]][0]);
      tijden.add(rij[1]);
      DIMENSIES.forEach((d, i) => waarden[d].add(rij[2 + i]));
    }
    const dimensies = {};
    for (const d of DIMENSIES) {
      const labels = klasseLabels(ind, d);
      const volgorde = [...labels.keys()];
      const gezien = [...waarden[d]];
      if (gezien.length === 1 && gezien[0] === null) continue;
      gezien.sort((a, b) => rang(volgorde, a) - rang(volgorde, b));
      dimensies[d] = gezien.map((code) => [code, code === null ? 'Totaal' : labels.get(code) || code]);
    }
    ind.index = cellen;
    ind.dimensies = dimensies;
    ind.gemeenten = D.gemeenten.map((g) => g[0]).filter((g) => gemeenten.has(g));
    ind.tijden = [...tijden].sort((a, b) => a - b);
    ind.soorten = [...new Set(ind.tijden.map((t) => D.tijden[t][3]))];
    return ind;
  }

  function rang(volgorde, code) {
    if (code === null) return -1;
    const i = volgorde.indexOf(code);
    return i < 0 ? volgorde.length : i;
  }

  // -- the selection ------------------------------------------------------------------------
  const standaard = () => ({
    i: null,
    g: [],
    dim: {},
    soort: null,
    van: null,
    tot: null,
    stand: null, // an index in D.leveringen, or null: the latest known value
    aandeel: false,
    herzien: false,
  });
  let keuze = standaard();

  function geldig(ind, k) {
    bereid(ind);
    k.g = k.g.filter((g) => ind.gemeenten.includes(g));
    if (!k.g.length) k.g = ind.gemeenten.includes('TOTAAL') ? ['TOTAAL'] : ind.gemeenten.slice(0, 1);
    const dims = {};
    Object.entries(ind.dimensies).forEach(([d, opties], n) => {
      const codes = opties.map((o) => o[0]);
      const gekozen = (k.dim[d] || []).filter((c) => codes.includes(c));
      // By default every value of the first breakdown and the first of any other.
      dims[d] = gekozen.length ? gekozen : n === 0 ? codes : codes.slice(0, 1);
    });
    k.dim = dims;
    if (!ind.soorten.includes(k.soort)) {
      k.soort = ind.soorten.includes('jaar') && !ind.soorten.includes('peildatum') &&
        !ind.soorten.includes('tertiaal') ? 'jaar' : ind.soorten[0] || null;
    }
    const tijden = tijdenVan(ind, k.soort);
    if (!tijden.includes(k.van) || !tijden.includes(k.tot) || k.van > k.tot) {
      k.tot = tijden[tijden.length - 1];
      const laatsteJaar = k.tot === undefined ? 0 : Number(D.tijden[k.tot][1].slice(0, 4));
      k.van = tijden.find((t) => Number(D.tijden[t][1].slice(0, 4)) >= laatsteJaar - 2);
    }
    if (k.stand !== null && !(k.stand >= 0 && k.stand < D.leveringen.length)) k.stand = null;
    k.aandeel = Boolean(k.aandeel && ind.aandeel && Object.keys(ind.dimensies).length);
    return k;
  }

  function tijdenVan(ind, soort) {
    return ind.tijden.filter((t) => D.tijden[t][3] === soort);
  }

  // Every series of the selection: a municipality and a cell of the breakdown, in order.
  function reeksen(ind, k) {
    let cellen = [[null, null, null]];
    DIMENSIES.forEach((d, i) => {
      if (!k.dim[d]) return;
      cellen = cellen.flatMap((c) => k.dim[d].map((code) => {
        const nieuw = c.slice();
        nieuw[i] = code;
        return nieuw;
      }));
    });
    const gemeenten = k.g.slice().sort((a, b) => gemeenteVolgorde.get(a) - gemeenteVolgorde.get(b));
    const uit = [];
    for (const g of gemeenten) {
      for (const cel of cellen) {
        const rijen = gekozenTijden(ind, k).map(
          (t) => ind.index.get([gemeenteVolgorde.get(g), t, ...cel].join('|')));
        if (rijen.every((r) => r === undefined)) continue;
        uit.push({ gemeente: g, cel, rijen, naam: reeksNaam(ind, g, cel) });
      }
    }
    return uit;
  }

  function celNaam(ind, cel) {
    const delen = [];
    DIMENSIES.forEach((d, i) => {
      if (!ind.dimensies[d]) return;
      const optie = ind.dimensies[d].find((o) => o[0] === cel[i]);
      if (optie) delen.push(optie[1]);
    });
    return delen.map((p, i) => (i ? p.charAt(0).toLowerCase() + p.slice(1) : p)).join(', ');
  }

  function reeksNaam(ind, g, cel) {
    const naam = gemeenteNaam.get(g);
    const celTekst = celNaam(ind, cel);
    return celTekst ? naam + ': ' + celTekst : naam;
  }

  function gekozenTijden(ind, k) {
    return tijdenVan(ind, k.soort).filter((t) => t >= k.van && t <= k.tot);
  }

  // The value of a row as known at the chosen delivery: [delivery, value, voorlopig,
  // reeksbreuk, reason withheld] of the latest delivery that has it, or undefined.
  function bekend(rij, stand) {
    if (!rij) return undefined;
    let gevonden;
    for (const w of rij[5]) if (stand === null || w[0] <= stand) gevonden = w;
    return gevonden;
  }

  function eenheidVan(ind, cel) {
    const c = ind.categorieen.find((x) => x[0] === cel[0]);
    return c ? c[2] : ind.eenheid;
  }

  // A figure to show: its number (NaN when withheld), the text, its footnotes.
  function cijfer(ind, k, reeks, positie) {
    const rij = reeks.rijen[positie];
    const w = bekend(rij, k.stand);
    if (!w) return { waarde: null, tekst: GEEN_GEGEVENS, noten: [] };
    const noten = [];
    if (w[4]) noten.push({ soort: 'geheim', tekst: 'Geheim (.): ' + D.redenen[w[4]] + '.' });
    if (w[3]) noten.push({ soort: 'noot', tekst: D.noten[0] });
    if (rij[6] !== null && w[0] === D.huidige_levering) {
      noten.push({ soort: 'noot', tekst: D.noten[rij[6]] });
    }
    let waarde = w[1] === null ? NaN : w[1];
    let voorlopig = Boolean(w[2]);
    if (k.aandeel) {
      const totaal = geheel(ind, k, rij);
      voorlopig = voorlopig || totaal.voorlopig;
      waarde = Number.isNaN(waarde) || Number.isNaN(totaal.som) ? NaN
        : totaal.som ? (100 * waarde) / totaal.som : null;
    }
    const tekst = k.aandeel ? aandeel(waarde) : opmaak(ind, waarde, eenheidVan(ind, reeks.cel));
    return {
      waarde,
      tekst: waarde === null || Number.isNaN(waarde) ? tekst : tekst + (voorlopig ? VOORLOPIG : ''),
      voorlopig,
      noten,
      levering: w[0],
      ruw: w,
    };
  }

  // The sum of every cell of the breakdown of the same municipality and time: what a share
  // is a share of.
  function geheel(ind, k, rij) {
    let som = 0;
    let voorlopig = false;
    for (const ander of ind.rijen) {
      if (ander[0] !== rij[0] || ander[1] !== rij[1]) continue;
      const w = bekend(ander, k.stand);
      if (!w) continue;
      if (w[1] === null) return { som: NaN, voorlopig };
      som += w[1];
      voorlopig = voorlopig || Boolean(w[2]);
    }
    return { som, voorlopig };
  }

  function opmaak(ind, waarde, eenheid) {
    if (eenheid === 'euro') return euro(waarde);
    return getal(waarde, ind.decimalen);
  }

  // -- the address: the selection after '#' ------------------------------------------------
  function naarAdres(k) {
    const p = new URLSearchParams();
    p.set('i', k.i);
    p.set('g', k.g.join(','));
    for (const [d, codes] of Object.entries(k.dim)) {
      p.set(d, codes.map((c) => (c === null ? '-' : c)).join(','));
    }
    if (k.soort) p.set('per', k.soort);
    if (k.van !== undefined && k.van !== null) p.set('van', tijdSleutel(D.tijden[k.van]));
    if (k.tot !== undefined && k.tot !== null) p.set('tot', tijdSleutel(D.tijden[k.tot]));
    if (k.stand !== null) p.set('stand', D.leveringen[k.stand] || 'onbekend');
    if (k.aandeel) p.set('maat', 'aandeel');
    if (k.herzien) p.set('herzien', '1');
    return p.toString();
  }

  function uitAdres(tekst) {
    const p = new URLSearchParams(tekst.replace(/^#/, ''));
    const k = standaard();
    k.i = indicatoren.has(p.get('i')) ? p.get('i') : null;
    k.g = (p.get('g') || '').split(',').filter((g) => gemeenteNaam.has(g));
    for (const d of DIMENSIES) {
      if (p.has(d)) k.dim[d] = p.get(d).split(',').map((c) => (c === '-' ? null : c));
    }
    k.soort = p.get('per');
    k.van = tijdIndex.has(p.get('van')) ? tijdIndex.get(p.get('van')) : null;
    k.tot = tijdIndex.has(p.get('tot')) ? tijdIndex.get(p.get('tot')) : null;
    const stand = p.get('stand');
    k.stand = stand === null ? null : D.leveringen.indexOf(stand === 'onbekend' ? null : stand);
    if (k.stand === -1) k.stand = null;
    k.aandeel = p.get('maat') === 'aandeel';
    k.herzien = p.get('herzien') === '1';
    return k;
  }

  let eigenAdres = '';

  function schrijfAdres() {
    const hash = '#' + naarAdres(keuze);
    eigenAdres = hash;
    try {
      history.replaceState(null, '', hash);
    } catch (e) {
      location.replace(hash);
    }
    $('link').value = location.href.split('#')[0] + hash;
  }

  // -- the controls -------------------------------------------------------------------------
  function normaal(tekst) {
    return tekst.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function zoekterm(ind) {
    return normaal([ind.titel, domeinTitel.get(ind.domein) || '', ind.id].join(' '));
  }

  function vulIndicatoren() {
    const woorden = normaal($('zoek').value).split(/\s+/).filter(Boolean);
    const lijst = $('indicator');
    lijst.textContent = '';
    let gevonden = 0;
    for (const [domein, titel] of D.domeinen) {
      const groep = document.createElement('optgroup');
      groep.label = titel;
      for (const ind of D.indicatoren) {
        if (ind.domein !== domein) continue;
        const term = zoekterm(ind);
        if (!woorden.every((w) => term.includes(w))) continue;
        const optie = new Option(ind.titel + (ind.rijen.length ? '' : ' (geen gegevens)'), ind.id);
        optie.selected = ind.id === keuze.i;
        groep.appendChild(optie);
        gevonden += 1;
      }
      if (groep.children.length) lijst.appendChild(groep);
    }
    $('zoek-uitkomst').textContent = woorden.length
      ? gevonden === 1 ? '1 indicator gevonden.' : gevonden + ' indicatoren gevonden.'
      : D.indicatoren.length + ' indicatoren.';
    return gevonden;
  }

  function keuzeVakje(soort, naam, waarde, label, aan, id) {
    const wrap = document.createElement('label');
    wrap.className = 'keuze-optie';
    const input = document.createElement('input');
    input.type = soort;
    input.name = naam;
    input.value = waarde;
    input.checked = aan;
    if (id) input.id = id;
    wrap.append(input, ' ' + label);
    return wrap;
  }

  function vulGemeenten(ind) {
    const vak = $('gemeenten').querySelector('.keuzes');
    vak.textContent = '';
    for (const g of ind.gemeenten) {
      vak.appendChild(keuzeVakje('checkbox', 'gemeente', g, gemeenteNaam.get(g), keuze.g.includes(g)));
    }
  }

  function vulUitsplitsingen(ind) {
    const plek = $('uitsplitsingen');
    plek.textContent = '';
    for (const [d, opties] of Object.entries(ind.dimensies)) {
      const veld = document.createElement('fieldset');
      veld.dataset.dimensie = d;
      const legenda = document.createElement('legend');
      legenda.textContent = DIMENSIE_KOP[d];
      const vak = document.createElement('div');
      vak.className = 'keuzes';
      opties.forEach(([code, label]) => {
        vak.appendChild(keuzeVakje('checkbox', d, code === null ? '-' : code, label,
          keuze.dim[d].includes(code)));
      });
      const alle = document.createElement('button');
      alle.type = 'button';
      alle.className = 'klein';
      alle.textContent = 'Alle kiezen';
      alle.setAttribute('aria-label', 'Alle ' + DIMENSIE_KOP[d].toLowerCase() + ' kiezen');
      alle.addEventListener('click', () => {
        keuze.dim[d] = opties.map((o) => o[0]);
        vulUitsplitsingen(ind);
        toon();
      });
      veld.append(legenda, vak, alle);
      plek.appendChild(veld);
    }
  }

  function vulTijd(ind) {
    const soorten = $('tijdsoort');
    soorten.textContent = '';
    if (ind.soorten.length > 1) {
      for (const s of ind.soorten) {
        soorten.appendChild(keuzeVakje('radio', 'soort', s, TIJDSOORT[s], s === keuze.soort));
      }
    }
    $('tijd').querySelector('legend').textContent =
      ind.soort === 'voorraad' ? 'Peildata' : 'Perioden';
    for (const [id, gekozen] of [['van', keuze.van], ['tot', keuze.tot]]) {
      const lijst = $(id);
      lijst.textContent = '';
      for (const t of tijdenVan(ind, keuze.soort)) {
        lijst.appendChild(new Option(D.tijden[t][2], String(t), false, t === gekozen));
      }
    }
  }

  function vulWeergave(ind) {
    const maat = $('maat');
    maat.textContent = '';
    if (ind.aandeel && Object.keys(ind.dimensies).length) {
      maat.appendChild(keuzeVakje('radio', 'maat', 'aantal', 'Aantallen', !keuze.aandeel));
      maat.appendChild(keuzeVakje('radio', 'maat', 'aandeel',
        'Aandeel in het geheel van de uitsplitsing (%)', keuze.aandeel));
    }
    const stand = $('stand');
    stand.textContent = '';
    stand.appendChild(new Option('Laatst bekend (' + D.leveringen.length +
      (D.leveringen.length === 1 ? ' levering)' : ' leveringen)'), '', false, keuze.stand === null));
    for (let i = D.leveringen.length - 1; i >= 0; i -= 1) {
      stand.appendChild(new Option('Zoals bekend bij de levering van ' + korteDatum(D.leveringen[i]),
        String(i), false, keuze.stand === i));
    }
    $('herzieningen').checked = keuze.herzien;
  }

  function vulKeuzes() {
    const ind = bereid(indicatoren.get(keuze.i));
    vulIndicatoren();
    vulGemeenten(ind);
    vulUitsplitsingen(ind);
    vulTijd(ind);
    vulWeergave(ind);
  }

  // -- what is shown ------------------------------------------------------------------------
  function element(naam, tekst, attributen) {
    const el = document.createElement(naam);
    if (tekst !== undefined && tekst !== null) el.textContent = tekst;
    for (const [a, v] of Object.entries(attributen || {})) el.setAttribute(a, v);
    return el;
  }

  function toon() {
    const ind = bereid(indicatoren.get(keuze.i));
    geldig(ind, keuze);
    schrijfAdres();
    const series = reeksen(ind, keuze);
    const tijden = gekozenTijden(ind, keuze);
    const noten = new Map();
    const nootNummer = (noot) => {
      if (!noten.has(noot.tekst)) noten.set(noot.tekst, noten.size + 1);
      return noten.get(noot.tekst);
    };
    const cijfers = series.map((r) => tijden.map((_t, j) => cijfer(ind, keuze, r, j)));
    $('resultaat-titel').textContent = ind.titel;
    toonSamenvatting(ind, series, tijden, cijfers);
    toonGrafiek(ind, series, tijden, cijfers);
    toonTabel(ind, series, tijden, cijfers, nootNummer);
    toonNoten(noten, cijfers);
    toonHerzieningen(ind, series, tijden);
    toonDefinitie(ind);
  }

  function toonSamenvatting(ind, series, tijden, cijfers) {
    const alle = cijfers.flat().filter((c) => c.waarde !== null);
    const delen = [];
    if (!ind.rijen.length) {
      delen.push('Geen cijfers: de leveringen bevatten niets voor deze indicator.');
    } else if (!alle.length) {
      delen.push('Geen cijfers voor deze keuze.');
    } else {
      delen.push(alle.length === 1 ? '1 cijfer' : alle.length + ' cijfers');
      const voorlopig = alle.filter((c) => c.voorlopig).length;
      const geheim = alle.filter((c) => Number.isNaN(c.waarde)).length;
      if (voorlopig) delen[0] += ', waarvan ' + voorlopig + ' voorlopig';
      if (geheim) delen[0] += (voorlopig ? ' en ' : ', waarvan ') + geheim + ' geheim';
      delen[0] += '.';
    }
    delen.push('Eenheid: ' + (keuze.aandeel ? 'procent van het geheel van de uitsplitsing'
      : [...new Set(series.map((r) => eenheidVan(ind, r.cel)))].join(', ') || ind.eenheid) + '.');
    delen.push(keuze.stand === null
      ? 'Stand: het laatst bekende cijfer uit ' + D.leveringen.length +
        (D.leveringen.length === 1 ? ' levering' : ' leveringen') + ' (de laatste van ' +
        korteDatum(D.leveringen[D.leveringen.length - 1]) + ').'
      : 'Stand: zoals bekend bij de levering van ' + korteDatum(D.leveringen[keuze.stand]) + '.');
    if (D.weggelaten_leveringen.length) {
      delen.push('Zonder vastgelegde geheimhouding, en daarom weggelaten: de levering(en) van ' +
        D.weggelaten_leveringen.map(korteDatum).join(', ') + '.');
    }
    $('samenvatting').textContent = delen.join(' ');
  }

  // -- the chart (inline SVG) ---------------------------------------------------------------
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(naam, attributen, tekst) {
    const el = document.createElementNS(SVG, naam);
    for (const [a, v] of Object.entries(attributen || {})) el.setAttribute(a, v);
    if (tekst !== undefined) el.textContent = tekst;
    return el;
  }

  function schaal(laag, hoog) {
    if (laag === hoog) hoog = laag + 1;
    const ruw = (hoog - laag) / 5;
    const orde = 10 ** Math.floor(Math.log10(ruw));
    const n = ruw / orde;
    const stap = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * orde;
    return { laag: Math.floor(laag / stap) * stap, hoog: Math.ceil(hoog / stap) * stap, stap };
  }

  function asLabel(ind, eenheid, v, stap) {
    if (keuze.aandeel) return getal(v) + '%';
    if (eenheid === 'euro') {
      return Math.abs(v) >= 1e6 ? (v < 0 ? MINUS : '') + '€ ' + getal(Math.abs(v) / 1e6, 1) + ' mln'
        : euro(v);
    }
    return getal(v, stap < 1 ? 1 : 0);
  }

  function vorm(n, x, y, kleur) {
    const s = 4;
    switch (n % 4) {
      case 1: return svg('rect', { x: x - s, y: y - s, width: 2 * s, height: 2 * s, fill: kleur });
      case 2: return svg('path', { d: `M${x} ${y - s - 1}L${x + s + 1} ${y + s}L${x - s - 1} ${y + s}Z`, fill: kleur });
      case 3: return svg('path', { d: `M${x} ${y - s - 1}L${x + s + 1} ${y}L${x} ${y + s + 1}L${x - s - 1} ${y}Z`, fill: kleur });
      default: return svg('circle', { cx: x, cy: y, r: s, fill: kleur });
    }
  }

  function toonGrafiek(ind, series, tijden, cijfers) {
    const vlak = $('grafiek-vlak');
    const legenda = $('legenda');
    vlak.textContent = '';
    legenda.textContent = '';
    const getoond = series.slice(0, MAX_REEKSEN);
    const waarden = cijfers.slice(0, MAX_REEKSEN).flat()
      .map((c) => c.waarde).filter((v) => v !== null && !Number.isNaN(v));
    if (!waarden.length) {
      vlak.appendChild(element('p', 'Geen cijfers om te tekenen.', { class: 'hint' }));
      return;
    }
    const breedte = Math.max(280, Math.floor(vlak.clientWidth || 640));
    const hoogte = breedte < 480 ? 240 : 320;
    const eenheid = eenheidVan(ind, getoond[0].cel);
    const { laag, hoog, stap } = schaal(Math.min(0, ...waarden), Math.max(0, ...waarden));
    const labels = [];
    for (let v = laag; v <= hoog + stap / 2; v += stap) labels.push([v, asLabel(ind, eenheid, v, stap)]);
    // Room for the axis labels, and for half a date label beyond the first and last point.
    const helft = 3.6 * Math.max(...tijden.map((t) => D.tijden[t][2].length));
    const links = Math.max(12 + 7 * Math.max(...labels.map((l) => l[1].length)), helft);
    const rechts = helft;
    const boven = 12;
    const onder = 34;
    const w = breedte - links - rechts;
    const h = hoogte - boven - onder;
    const y = (v) => boven + h - ((v - laag) / (hoog - laag)) * h;
    const band = w / tijden.length;
    const x = (j) => links + band * (j + 0.5);
    const titel = ind.titel;
    const beschrijving = grafiekTekst(getoond, tijden, cijfers);
    const beeld = svg('svg', {
      width: breedte, height: hoogte, viewBox: `0 0 ${breedte} ${hoogte}`, role: 'img',
      'aria-labelledby': 'grafiek-titel grafiek-beschrijving', class: 'grafiek-svg',
    });
    beeld.append(svg('title', { id: 'grafiek-titel' }, titel),
      svg('desc', { id: 'grafiek-beschrijving' }, beschrijving));
    for (const [v, tekst] of labels) {
      beeld.append(svg('line', { x1: links, x2: links + w, y1: y(v), y2: y(v), class: v === 0 ? 'as nul' : 'as' }));
      beeld.append(svg('text', { x: links - 6, y: y(v) + 4, 'text-anchor': 'end' }, tekst));
    }
    const stapX = Math.max(1, Math.ceil((tijden.length * 7 * 9) / w));
    tijden.forEach((t, j) => {
      if (j % stapX && j !== tijden.length - 1) return;
      beeld.append(svg('text', { x: x(j), y: boven + h + 18, 'text-anchor': 'middle' }, D.tijden[t][2]));
    });
    if (ind.soort === 'voorraad') {
      getoond.forEach((r, n) => {
        const kleur = KLEUREN[n % KLEUREN.length];
        let pad = '';
        cijfers[n].forEach((c, j) => {
          if (c.waarde === null || Number.isNaN(c.waarde)) { pad += ' '; return; }
          pad += (pad === '' || pad.endsWith(' ') ? 'M' : 'L') + x(j).toFixed(1) + ' ' + y(c.waarde).toFixed(1);
        });
        beeld.append(svg('path', {
          d: pad.trim().replace(/\s+M/g, ' M'), fill: 'none', stroke: kleur, 'stroke-width': 2.5,
          'stroke-dasharray': STREPEN[n % STREPEN.length],
        }));
        cijfers[n].forEach((c, j) => {
          if (c.waarde !== null && !Number.isNaN(c.waarde)) beeld.append(vorm(n, x(j), y(c.waarde), kleur));
        });
      });
    } else {
      const staaf = (band * 0.8) / getoond.length;
      getoond.forEach((r, n) => {
        const kleur = KLEUREN[n % KLEUREN.length];
        cijfers[n].forEach((c, j) => {
          if (c.waarde === null || Number.isNaN(c.waarde)) return;
          const x0 = links + band * j + band * 0.1 + staaf * n;
          const y0 = y(Math.max(0, c.waarde));
          beeld.append(svg('rect', {
            x: x0.toFixed(1), y: y0.toFixed(1), width: Math.max(1, staaf - 1).toFixed(1),
            height: Math.max(0.5, Math.abs(y(c.waarde) - y(0))).toFixed(1), fill: kleur,
          }));
        });
      });
    }
    vlak.appendChild(beeld);
    const lijst = element('ul', null, { class: 'legenda' });
    getoond.forEach((r, n) => {
      const item = element('li');
      const teken = svg('svg', { width: 28, height: 12, 'aria-hidden': 'true', focusable: 'false' });
      const kleur = KLEUREN[n % KLEUREN.length];
      if (ind.soort === 'voorraad') {
        teken.append(svg('line', { x1: 0, x2: 28, y1: 6, y2: 6, stroke: kleur, 'stroke-width': 2.5,
          'stroke-dasharray': STREPEN[n % STREPEN.length] }), vorm(n, 14, 6, kleur));
      } else {
        teken.append(svg('rect', { x: 4, y: 0, width: 20, height: 12, fill: kleur }));
      }
      item.append(teken, ' ' + r.naam);
      lijst.appendChild(item);
    });
    legenda.appendChild(lijst);
    if (series.length > MAX_REEKSEN) {
      legenda.appendChild(element('p', `De grafiek toont de eerste ${MAX_REEKSEN} van de ${series.length} reeksen; de tabel toont ze alle.`, { class: 'hint' }));
    }
  }

  // A text alternative: per series its first and last figure (the table has them all).
  function grafiekTekst(series, tijden, cijfers) {
    const delen = series.map((r, n) => {
      const bekend = cijfers[n].map((c, j) => [c, j])
        .filter(([c]) => c.waarde !== null && !Number.isNaN(c.waarde));
      if (!bekend.length) return r.naam + ': geen cijfers';
      const [eerste, j0] = bekend[0];
      const [laatste, j1] = bekend[bekend.length - 1];
      return `${r.naam}: ${eerste.tekst} (${D.tijden[tijden[j0]][2]}) tot ${laatste.tekst} (${D.tijden[tijden[j1]][2]})`;
    });
    return delen.join('; ') + '. De cijfers staan in de tabel onder de grafiek.';
  }

  // -- the table ----------------------------------------------------------------------------
  function toonTabel(ind, series, tijden, cijfers, nootNummer) {
    const plek = $('tabel');
    plek.textContent = '';
    if (!series.length || !tijden.length) return;
    const rol = element('div', null, {
      class: 'tabel-scroll', role: 'region', 'aria-labelledby': 'tabel-bijschrift', tabindex: '0',
    });
    const tabel = element('table', null, { id: 'cijfers' });
    tabel.appendChild(element('caption', ind.titel + (keuze.aandeel ? ' (aandeel, %)' : ''), { id: 'tabel-bijschrift' }));
    const kop = element('tr');
    kop.appendChild(element('th', ind.soort === 'voorraad' ? 'Peildatum' : 'Periode', { scope: 'col' }));
    tijden.forEach((t) => kop.appendChild(element('th', D.tijden[t][2], { scope: 'col', 'data-tijd': tijdSleutel(D.tijden[t]) })));
    tabel.appendChild(element('thead')).appendChild(kop);
    const lijf = tabel.appendChild(element('tbody'));
    series.forEach((r, n) => {
      const rij = element('tr', null, {
        'data-gemeente': r.gemeente,
        'data-cel': r.cel.map((c) => (c === null ? '' : c)).join('|'),
      });
      rij.appendChild(element('th', r.naam, { scope: 'row' }));
      cijfers[n].forEach((c) => {
        const cel = element('td', c.tekst);
        for (const noot of c.noten) {
          const nummer = nootNummer(noot);
          const sup = element('sup', null, { class: 'noot' });
          sup.appendChild(element('a', String(nummer), { href: '#noot-' + nummer, 'aria-label': 'voetnoot ' + nummer }));
          cel.appendChild(sup);
        }
        rij.appendChild(cel);
      });
      lijf.appendChild(rij);
    });
    rol.appendChild(tabel);
    plek.appendChild(rol);
  }

  function toonNoten(noten, cijfers) {
    const plek = $('noten');
    plek.textContent = '';
    const alle = cijfers.flat();
    if (alle.some((c) => c.voorlopig)) plek.appendChild(element('p', '* voorlopig cijfer: het kan bij een volgende levering nog veranderen.', { class: 'noot' }));
    if (alle.some((c) => c.waarde === null)) plek.appendChild(element('p', GEEN_GEGEVENS + ' geen gegevens: de levering dekt deze datum of periode niet.', { class: 'noot' }));
    if (!noten.size) return;
    const lijst = element('ol', null, { class: 'voetnoten' });
    for (const [tekst, nummer] of noten) lijst.appendChild(element('li', tekst, { id: 'noot-' + nummer }));
    plek.appendChild(lijst);
  }

  // -- revisions between deliveries ---------------------------------------------------------
  function toonHerzieningen(ind, series, tijden) {
    const sectie = $('herzien');
    sectie.hidden = !keuze.herzien;
    const plek = $('herzien-inhoud');
    plek.textContent = '';
    if (!keuze.herzien) return;
    if (D.leveringen.length < 2) {
      plek.appendChild(element('p', 'Er is nog maar één levering: geen cijfer is herzien.'));
      return;
    }
    const rijen = [];
    series.forEach((r) => {
      r.rijen.forEach((rij, j) => {
        if (!rij || rij[5].length < 2) return;
        const verschillend = new Set(rij[5].map((w) => (w[1] === null ? 'geheim' : w[1])));
        if (verschillend.size > 1) rijen.push([r, tijden[j], rij]);
      });
    });
    if (!rijen.length) {
      plek.appendChild(element('p', 'Geen van deze cijfers is tussen de leveringen herzien.'));
      return;
    }
    const rol = element('div', null, { class: 'tabel-scroll', role: 'region', 'aria-labelledby': 'herzien-bijschrift', tabindex: '0' });
    const tabel = element('table', null, { id: 'herzieningen-tabel' });
    tabel.appendChild(element('caption', 'Cijfers die tussen leveringen veranderden', { id: 'herzien-bijschrift' }));
    const kop = element('tr');
    kop.appendChild(element('th', 'Reeks', { scope: 'col' }));
    kop.appendChild(element('th', ind.soort === 'voorraad' ? 'Peildatum' : 'Periode', { scope: 'col' }));
    D.leveringen.forEach((l) => kop.appendChild(element('th', 'Levering ' + korteDatum(l), { scope: 'col' })));
    kop.appendChild(element('th', 'Verschil', { scope: 'col' }));
    tabel.appendChild(element('thead')).appendChild(kop);
    const lijf = tabel.appendChild(element('tbody'));
    for (const [r, t, rij] of rijen) {
      const tr = element('tr');
      tr.appendChild(element('th', r.naam, { scope: 'row' }));
      tr.appendChild(element('td', D.tijden[t][2], { class: 'tekst' }));
      const eenheid = eenheidVan(ind, r.cel);
      const perLevering = D.leveringen.map((_l, v) => rij[5].find((w) => w[0] === v));
      perLevering.forEach((w) => {
        const waarde = !w ? null : w[1] === null ? NaN : w[1];
        tr.appendChild(element('td', !w ? GEEN_GEGEVENS
          : opmaak(ind, waarde, eenheid) + (w[2] && w[1] !== null ? VOORLOPIG : '')));
      });
      const getallen = perLevering.filter((w) => w).map((w) => w[1]);
      const eerste = getallen[0];
      const laatste = getallen[getallen.length - 1];
      tr.appendChild(element('td', eerste === null || laatste === null ? GEHEIM
        : eenheid === 'euro' ? (laatste - eerste < 0 ? MINUS : '+') + euro(Math.abs(laatste - eerste))
          : verschil(laatste - eerste, ind.decimalen)));
      lijf.appendChild(tr);
    }
    rol.appendChild(tabel);
    plek.appendChild(rol);
  }

  function toonDefinitie(ind) {
    const plek = $('definitie');
    plek.textContent = '';
    const tekst = element('p');
    tekst.innerHTML = ind.definitie || 'Geen definitie beschikbaar.';
    const soort = ind.soort === 'voorraad'
      ? 'een stand op een peildatum (wat op die dag liep)'
      : 'een stroom over een periode (wat in die periode gebeurde)';
    const feiten = element('p', `Eenheid: ${ind.eenheid}. Het cijfer is ${soort}. Thema: ${domeinTitel.get(ind.domein) || ind.domein}. Code in de open data: ${ind.id}.`, { class: 'hint' });
    plek.append(tekst, feiten);
  }

  // -- download -----------------------------------------------------------------------------
  const KOLOMMEN = ['indicator', 'gemeente', 'periode_begin', 'periode_eind', 'categorie',
    'leeftijdsklasse', 'duurklasse', 'waarde', 'eenheid', 'status', 'reeksbreuk', 'geheim',
    'exportdatum'];
  const FORMULE = /^[=+\-@\t\r]/;
  const GETAL = /^[+-]?[0-9]+([.,][0-9]+)?$/;

  // As pipelines/publish/csvfiles.py: a text cell that a spreadsheet would run as a formula
  // gets a leading apostrophe; a field with a comma, quote or line break is quoted.
  function csvVeld(waarde) {
    let tekst = waarde === null || waarde === undefined ? '' : String(waarde);
    if (typeof waarde === 'string' && FORMULE.test(tekst) && !GETAL.test(tekst)) tekst = "'" + tekst;
    return /[",\n\r]/.test(tekst) ? '"' + tekst.replace(/"/g, '""') + '"' : tekst;
  }

  function csv() {
    const ind = bereid(indicatoren.get(keuze.i));
    const regels = [KOLOMMEN.join(',')];
    const tijden = gekozenTijden(ind, keuze);
    for (const r of reeksen(ind, keuze)) {
      r.rijen.forEach((rij, j) => {
        const w = bekend(rij, keuze.stand);
        if (!w) return;
        const t = D.tijden[tijden[j]];
        regels.push([
          ind.id, r.gemeente, t[0], t[1], r.cel[0], r.cel[1], r.cel[2], w[1],
          eenheidVan(ind, r.cel), w[2] ? 'voorlopig' : 'definitief', w[3] ? 'true' : 'false',
          w[1] === null ? 'true' : 'false', D.leveringen[w[0]],
        ].map(csvVeld).join(','));
      });
    }
    return regels.join('\n') + '\n';
  }

  function download() {
    const blob = new Blob([csv()], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'kerncijfers-' + keuze.i + '.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  async function kopieer() {
    const veld = $('link');
    try {
      await navigator.clipboard.writeText(veld.value);
      $('gekopieerd').textContent = 'De link is gekopieerd.';
    } catch (e) {
      veld.focus();
      veld.select();
      $('gekopieerd').textContent = 'Kopiëren lukte niet vanzelf: de link is geselecteerd, kopieer hem met Ctrl+C (Cmd+C op een Mac).';
    }
  }

  // -- events -------------------------------------------------------------------------------
  function kiesIndicator(id) {
    if (!indicatoren.has(id) || id === keuze.i) return;
    const vorige = keuze;
    keuze = standaard();
    keuze.i = id;
    keuze.g = vorige.g;
    keuze.soort = vorige.soort;
    keuze.stand = vorige.stand;
    keuze.herzien = vorige.herzien;
    geldig(indicatoren.get(id), keuze);
    vulKeuzes();
    toon();
  }

  function gekozenIn(naam) {
    return [...document.querySelectorAll(`input[name="${naam}"]:checked`)].map((i) => i.value);
  }

  function leesKeuzes(event) {
    const doel = event.target;
    const ind = indicatoren.get(keuze.i);
    if (doel.id === 'indicator') { kiesIndicator(doel.value); return; }
    if (doel.id === 'zoek') return;
    if (doel.name === 'gemeente') {
      const gekozen = gekozenIn('gemeente');
      if (!gekozen.length) { doel.checked = true; return; } // at least one municipality
      keuze.g = gekozen;
    } else if (DIMENSIES.includes(doel.name)) {
      const gekozen = gekozenIn(doel.name).map((c) => (c === '-' ? null : c));
      if (!gekozen.length) { doel.checked = true; return; }
      keuze.dim[doel.name] = gekozen;
    } else if (doel.name === 'soort') {
      keuze.soort = doel.value;
      keuze.van = keuze.tot = null;
      geldig(ind, keuze);
      vulTijd(ind);
    } else if (doel.id === 'van' || doel.id === 'tot') {
      keuze[doel.id] = Number(doel.value);
      if (keuze.van > keuze.tot) {
        if (doel.id === 'van') keuze.tot = keuze.van; else keuze.van = keuze.tot;
        vulTijd(ind);
      }
    } else if (doel.name === 'maat') {
      keuze.aandeel = doel.value === 'aandeel';
    } else if (doel.id === 'stand') {
      keuze.stand = doel.value === '' ? null : Number(doel.value);
    } else if (doel.id === 'herzieningen') {
      keuze.herzien = doel.checked;
    } else {
      return;
    }
    toon();
  }

  function zoek(event) {
    const gevonden = vulIndicatoren();
    if (event.type === 'keydown') {
      if (event.key === 'Enter') {
        event.preventDefault();
        const eerste = $('indicator').querySelector('option');
        if (gevonden && eerste) kiesIndicator(eerste.value);
      } else if (event.key === 'ArrowDown') {
        event.preventDefault();
        $('indicator').focus();
      }
    }
  }

  function vanAdres() {
    if (eigenAdres && location.hash === eigenAdres) return; // the page's own change
    const k = uitAdres(location.hash);
    if (!k.i) k.i = D.indicatoren.find((ind) => ind.rijen.length)?.id || D.indicatoren[0].id;
    keuze = geldig(indicatoren.get(k.i), k);
    vulKeuzes();
    toon();
  }

  const form = $('keuze');
  form.addEventListener('change', leesKeuzes);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('zoek').addEventListener('input', zoek);
  $('zoek').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === 'ArrowDown') zoek(e);
  });
  $('download').addEventListener('click', download);
  $('kopieer').addEventListener('click', kopieer);
  window.addEventListener('hashchange', vanAdres);
  let wacht;
  window.addEventListener('resize', () => {
    clearTimeout(wacht);
    wacht = setTimeout(toon, 150);
  });

  // For the tests: the report's formatting, to compare with Python's.
  window.kerncijfersOpmaak = { getal, euro, aandeel, verschil, csvVeld };
  vanAdres();
  // Ready to use: the tests wait for this, the benchmark reads how long it took.
  document.documentElement.dataset.klaarNa = String(Math.round(performance.now()));
  document.documentElement.dataset.klaar = 'ja';
})();
