"""Closed word lists the name finder needs: titles, organisation cues, never-a-name words.

All entries are lowercase; lookups lowercase the token. Kept apart from the
logic so that tuning a list never touches an algorithm.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles, ranks and roles written before a name (`Presiden Vladimir Putin`,
# `Tuan Kim`, `juru bicara Kremlin Dmitry Peskov`): the name follows, and the
# title itself is never part of the value.
TITLES = _words("""
presiden wapres wakil menteri menko mendagri menlu menkeu menhan menkes mendikbud menpora
mensesneg menkumham menag menpan mentan menhub menkominfo menparekraf gubernur wagub bupati wabup
walikota wali ketua ketum waketum kepala direktur dirut sekretaris sekjen juru jubir bicara
kapolri wakapolri kapolda wakapolda kapolres wakapolres kapolresta kapolsek kasat kasatreskrim
kasatlantas kasatnarkoba kabid kasubag kasubbag kasubbid kanit kapuspen kabag kadiv kadis kasi
panglima pangdam danrem dandim danramil kasad kasal kasau jaksa hakim rektor dekan dosen guru
pengamat politikus politisi anggota pelatih striker gelandang kiper penyanyi aktor aktris artis
rapper komedian presenter pedangdut raja ratu pangeran sultan paus perdana kanselir pm pemimpin
tuan nyonya nona bapak ibu pak bu mas mbak bang kak tn ny sdr dr prof ir drs dra haji hj kh
ustaz ustadz habib syekh kiai mr mrs ms sir lord pastor romo uskup kardinal jenderal letjen
mayjen brigjen laksamana marsekal kolonel letkol mayor kapten lettu letda serma serka sertu kopral
prada pratu akbp akp kompol kombes irjen komjen iptu ipda aiptu aipda bripka brigpol briptu bripda
bharada inspektur komisaris ceo pendiri plt plh pj penjabat kades lurah camat sekda almarhum
almarhumah mendiang founder chairman direktris manajer kapten penasihat penasehat staf
koordinator humas kabidhumas kasubbidpenmas kapendam kadispen danlanud danpuspom karutan kalapas
deputi reskrim reskrimum reskrimsus resnarkoba lantas intelkam binmas sabhara dirjen sesjen
irjen sekjen dirut dirreskrimum dirreskrimsus dirresnarkoba pol purn bendahara kasubdit kadiv
director manager marketing chief officer executive general
""")

# A title that ends in a place word: `Wali Kota Bandung` is a title then a place.
TITLE_PAIRS = {("wali", "kota"), ("perdana", "menteri"), ("juru", "bicara")}

# Words that head an organisation name: the rest of the capitalised run belongs to it.
ORG_HEADS = _words("""
partai kementerian kemenko universitas institut akademi politeknik pesantren ponpes pt cv bank komite
badan dinas komisi dewan majelis mahkamah pengadilan kejaksaan kejati kejari kejagung kepolisian
polres polresta polrestabes polda polsek rspad rsia kodam kodim korem koramil lanud lantamal pemkab
pemkot pemprov pemerintah pemda pemdaprov dprd rsud rsup rs klub persatuan asosiasi ikatan himpunan
serikat yayasan lembaga organisasi direktorat ditjen biro satuan satpol satreskrim satresnarkoba
densus fakultas departemen kabinet koalisi fraksi sekretariat timnas kantor harian majalah tim
gerakan front pusat balai persekutuan forum
""")

# Heads whose names take numbers (`SMA Negeri 24 Bandung`, `Polsek 3`).
NUMBERED_HEADS = _words("sma smp sd smk sman smpn sdn smkn mts negeri jalan jl nomor no kompi batalyon")

# Lowercase words right before a run that make it an organisation
# (`kantor berita Yonhap`, `surat kabar Chosun Ilbo`, `laman BBC`).
ORG_CUES = _words(
    "berita kabar media harian televisi maskapai klub band grup partai situs laman portal koran majalah tabloid"
)

# Two-word organisation heads (`Rumah Sakit X`) whose words are ordinary on their own.
ORG_HEAD_PAIRS = {("rumah", "sakit"), ("kantor", "berita"), ("surat", "kabar")}

# Words that end an organisation name (`Manchester United`, `SM Entertainment`).
ORG_TAILS = _words("""
fc united city inc corp corporation ltd group entertainment records news airlines airways tbk
university institute foundation club ministry agency association council committee company
bank times post journal daily tv pictures sports band
""")

# English tails that make a name a place (`Hawkesbury River`, `Sonoma County`).
PLACE_TAILS = _words("river county mountains mountain beach island islands lake valley bay street avenue square")

# Metonyms and names the news treats as organisations, not places or people.
KNOWN_ORGS = _words("""
kremlin pentagon nasa fifa uefa opec nato asean kcna tass yonhap kyodo afp reuters sputnik
xinhua bernama antara bloomberg houthi taliban hamas hizbullah komnas
golkar gerindra nasdem demokrat pks pkb ppp hanura perindo berkarya
bawaslu bappenas basarnas bakamla bulog kadin kominfo gaikindo apindo hipmi kontras walhi ylbhi
baleg bamus banggar kemenpora kemenkes kemenkeu kemendagri kemenlu kemenhan kemenag kemenhub
kemendikbud kemenkumham kementan kemnaker kemensos kemenpar kemenperin kemendag kemenristekdikti
kemenpupr kemenparekraf kemenkominfo
arsenal chelsea juventus napoli atletico tottenham everton leicester watford ajax bayern dortmund
lazio aramco pertamina pln telkomsel gojek grab tokopedia bukalapak shopee traveloka huawei xiaomi
samsung toyota honda yamaha suzuki daihatsu mitsubishi hyundai apple transjakarta ombudsman
valencia inter fiorentina sevilla
""")

# Words that head the name of an event, award or law: not a person, organisation or place.
EVENT_HEADS = _words("""
piala olimpiade festival pekan kejuaraan turnamen penghargaan operasi liga kitab undang peraturan
keputusan instruksi grand
""")

# Words that end the name of an event or award (`Teen Choice Awards`, `Soccer Championship`).
EVENT_TAILS = _words("championship championships award awards cup games festival open prize trophy week")

# Football clubs named `Persib`, `PSM`, ... followed by their town: organisations.
CLUB_RE_TEXT = r"(?:pers[a-z]{2,7}|ps[a-z]{1,3})$"

# Service branches after `TNI` that belong to the name (`TNI AU`).
BRANCH_SUFFIXES = _words("au ad al")

# Verbs after a name that only a person does (`Putin mengatakan`, `Williams lahir`).
PERSON_VERBS = _words("""
mengatakan menegaskan menjelaskan mengungkapkan menyatakan berkata menambahkan menuturkan
menyebutkan mengaku menilai meminta berharap mengucapkan lahir meninggal wafat tewas menikah
berperan mengisi bernyanyi
""")

# Lowercase words before a run that make it a person (`bernama Ariel`, `vokalis Ariel`).
PERSON_CUES = _words("""
bernama oleh sang pasangan kakaknya adiknya istrinya suaminya ayahnya ibunya anaknya putranya
putrinya personel vokalis gitaris drummer bassis pemain pebulutangkis petenis pembalap sutradara
produser pelukis sastrawan penyair wartawan jurnalis tersangka terdakwa terpidana korban pelaku
saksi dokter pria wanita perempuan gadis nenek kakek
""")

# Words before initials (`pelaku berinisial AS`): the run is not a name at all.
INITIALS_CUES = _words("inisial berinisial")

# Words that make the capitalised run after them a place (`Pulau Russky`).
PLACE_HEADS = _words("""
pulau kepulauan gunung sungai danau teluk selat tanjung jalan jl desa kelurahan kecamatan kampung
dusun kawasan bandara pelabuhan kosmodrom stasiun provinsi kabupaten kota distrik negara benua
wilayah stadion museum bandara bandar candi masjid gereja pura pantai republik kerajaan kesultanan
kawedanan
situs
""")

# Schools: places in the NERGRIT convention, and named with numbers and towns that
# stay part of the name (`SMA Negeri 24 Bandung`).
SCHOOL_HEADS = _words("sekolah sma smp sd smk sman smpn sdn smkn smu mts madrasah")
PLACE_HEADS |= SCHOOL_HEADS
# Heads that are dropped from the canonical name: `Kota Bandung` is `Bandung`.
ADMIN_HEADS = _words("provinsi kabupaten kota wilayah republik")
# Place heads that ordinary words after them do not make a name (`Jalan Raya`), unlike
# natural and administrative heads (`Pulau Panjang`, `Desa Baru`).
FACILITY_HEADS = _words("jalan jl bandara bandar stasiun pelabuhan kawasan stadion museum")

# Heads dropped when a known place follows (`Pulau Jawa` is `Jawa`).
ISLAND_HEADS = _words("pulau negara benua")
# Prepositions of place: a lone district name after them (`di Cilincing`) is that district.
AT_WORDS = _words("di ke dari menuju")

# Compass words after a place name (`Rusia Timur`) that do not make it another place.
DIRECTIONS = _words("utara selatan timur barat tengah tenggara timur laut barat daya raya")

# Connectors allowed inside a name (`Rio de Janeiro`, `Voice of Korea`).
CONNECTORS = _words("bin binti van von der den de da dos del la le al of the for and")
ENGLISH_CONNECTORS = _words("of the for and")

WEEKDAYS = _words("senin selasa rabu kamis jumat jum'at sabtu minggu ahad")
MONTHS = _words("""
januari februari pebruari maret april mei juni juli agustus september oktober november desember
jan feb mar apr jun jul agu agt ags sep sept okt nov des
""")

# Boilerplate, credits and words that are capitalised but never an entity.
NEVER = _words("""
foto baca juga menurut dikutip dilansir editor share sumber komentar iklan lihat simak video
ilustrasi dok kredit tonton penulis reporter artikel berita halaman tag topik follow us picks
team editorial topics you for app advertisement wib wita wit tuhan allah swt saw islam kristen
muslim katolik hindu buddha covid corona lebaran ramadan natal internet kemarin besok hari ini
tahun bulan minggu pekan pagi siang sore malam tapi namun dan atau yang ini itu saat ketika
the a an idn times kompas com tempo okezone sindonews wowkeren tribunnews tribun kapanlagi
fimela republika posmetro viva merdeka detik detikcom liputan liputan6 cnn antara bisnis
suara jpnn kumparan tirto carapandang inews metrotv okz kompascom instagram twitter facebook
youtube whatsapp tiktok getty images shutterstock anda kamu beliau mereka kami kita rp no
k-pop kpop android ios garuda co
""") | WEEKDAYS | MONTHS


# Acronyms in capitals that are not organisations.
NOT_ORG_ACRONYMS = _words("""
wib wita wit tkp ott cctv hp bbm pns asn covid phk apbn apbd ruu uu kuhp sim stnk ktp nik kk umkm
ham pr mou vip dna gps it tv ac suv mrt lrt krl rt rw psk odgj odp pdp otg psbb ppkm lgbt hiv
aids ispa dbd tbc atm sms wa nkri ri wni wna tki tkw ri ok ii iii iv vi vii viii ix xi xii
usd idr rp km kg cm mm ha pm am fyi ceo cfo coo cto mc dj mv ost ep lp cd dvd pc hd id sd
share jakarta foto baca editor ktt idn sdm rkuhp bumn pilkada pilpres pileg hut lsm bpjs nik npwp
kpr dp ojol ott pt pp perpres perppu permen perda dpp tmp sk mipa kkn uud gbhn ufo rsbi skck
gp dpo dpc bj ram led pmk icu mp
sh se mh msi mkom spd mpd sked ssos sip mba phd
""")

# Verbs of speech: an unknown capitalised run right after them is a speaker.
SPEECH_VERBS = _words("kata ujar ucap tutur jelas ungkap imbuh tegas terang sebut tandas papar katanya")
